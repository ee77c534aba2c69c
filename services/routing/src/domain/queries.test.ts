import { agentView, listQueueStats, queueStats } from './queries';
import { config, Routing, req } from './testing/harness';
import { Presence } from './types';

describe('queries', () => {
  function tenant() {
    const r = new Routing();
    r.configure(
      config({
        skills: [{ id: 'en', name: 'en' }],
        queues: [
          { id: 'support', name: 'Support', defaultSkills: [req('en')], defaultPriority: 1 },
          { id: 'other', name: 'Other' },
        ],
        rules: [
          {
            id: 'vip',
            when: [{ attribute: 'customer.tier', operator: 'equals', values: ['gold'] }],
            queueId: 'support',
            skills: [],
            priority: 5,
          },
        ],
        defaultQueueId: 'support',
      }),
    );
    return r;
  }

  test('queue stats: waiting by priority, longest wait, agents by state, estimated wait', () => {
    const r = tenant();
    r.agent('busy', { en: 3 }, { chat: 1 });
    r.agent('away', { en: 3 }, { chat: 1 }, { presence: Presence.AWAY });
    r.agent('free-voice', { en: 3 }, { voice: 1 });
    r.agent('no-skill', {}, { chat: 1 });
    r.start('c0');
    r.accept('c0');
    r.now += 60_000;
    r.when({ type: 'CompleteConversation', agentId: 'busy', conversationId: 'c0', wrapUpSeconds: 0 });
    r.start('c1');
    r.accept('c1');
    r.start('c2');
    r.now += 10_000;
    r.start('c3', { tier: 'gold' });
    r.now += 5_000;
    expect(queueStats(r.state, 'support', r.now)).toEqual({
      queueId: 'support',
      name: 'Support',
      waiting: 2,
      waitingByPriority: [
        { priority: 5, waiting: 1 },
        { priority: 1, waiting: 1 },
      ],
      longestWaitSeconds: 15,
      agentsAvailable: 1,
      agentsBusy: 1,
      agentsAway: 1,
      // 2 ahead at priority >= 1, plus this one, 60 s handle time, 2 agents serving.
      estimatedWaitSeconds: 90,
    });
    expect(listQueueStats(r.state, r.now).map((q) => [q.queueId, q.waiting, q.agentsAvailable])).toEqual([
      ['support', 2, 1],
      ['other', 0, 2],
    ]);
  });

  test('agent view', () => {
    const r = tenant();
    r.agent('a1', { en: 4 }, { chat: 2, email: 1 }, { total: 2 });
    r.start('c1');
    expect(agentView(r.state, 'a1')).toMatchObject({
      agentId: 'a1',
      presence: Presence.AVAILABLE,
      skills: [{ skill: 'en', proficiency: 4 }],
      capacity: [
        { channel: 2, capacity: 2 },
        { channel: 3, capacity: 1 },
      ],
      totalCapacity: 2,
      held: [{ channel: 2, count: 1 }],
      conversations: [{ conversationId: 'c1', status: 'offered' }],
      lastAssignedAt: r.now,
    });
    expect(agentView(r.state, 'nobody')).toBeUndefined();
  });
});
