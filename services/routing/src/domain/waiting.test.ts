import { config, offeredTo, Routing, req } from './testing/harness';
import { Presence } from './types';

function tenant() {
  const r = new Routing();
  r.configure(
    config({
      skills: [
        { id: 'en', name: 'en' },
        { id: 'fr', name: 'fr' },
      ],
      queues: [
        { id: 'en', defaultSkills: [req('en')] },
        { id: 'fr', defaultSkills: [req('fr')] },
      ],
      rules: [
        {
          id: 'vip',
          when: [{ attribute: 'customer.tier', operator: 'equals', values: ['gold'] }],
          queueId: 'en',
          skills: [],
          priority: 10,
        },
        {
          id: 'fr',
          when: [{ attribute: 'language', operator: 'equals', values: ['fr'] }],
          queueId: 'fr',
          skills: [],
          priority: 20,
        },
      ],
      defaultQueueId: 'en',
    }),
  );
  return r;
}

function busyAgent(r: Routing, id: string, skills: Record<string, number>) {
  r.agent(id, skills, { chat: 1 });
  r.start(`${id}-first`);
  r.accept(`${id}-first`);
}

describe('waiting conversations', () => {
  test('FIFO inside a priority: the longest waiting goes first when an agent frees up', () => {
    const r = tenant();
    busyAgent(r, 'a1', { en: 3 });
    r.start('c1');
    r.now += 1000;
    r.start('c2');
    const events = r.when({
      type: 'CompleteConversation',
      agentId: 'a1',
      conversationId: 'a1-first',
      wrapUpSeconds: 0,
    });
    expect(offeredTo(events)).toEqual([['c1', 'a1']]);
  });

  test('ties on waiting time keep arrival order', () => {
    const r = tenant();
    busyAgent(r, 'a1', { en: 3 });
    r.start('c2');
    r.start('c1');
    const events = r.when({
      type: 'CompleteConversation',
      agentId: 'a1',
      conversationId: 'a1-first',
      wrapUpSeconds: 0,
    });
    expect(offeredTo(events)).toEqual([['c2', 'a1']]);
  });

  test('higher priority first, even when it arrived later', () => {
    const r = tenant();
    busyAgent(r, 'a1', { en: 3 });
    r.start('normal');
    r.now += 5000;
    r.start('gold', { tier: 'gold' });
    const events = r.when({
      type: 'CompleteConversation',
      agentId: 'a1',
      conversationId: 'a1-first',
      wrapUpSeconds: 0,
    });
    expect(offeredTo(events)).toEqual([['gold', 'a1']]);
  });

  test('priority inversion attempt: a new low-priority conversation does not jump a waiting high one', () => {
    const r = tenant();
    busyAgent(r, 'a1', { en: 3, fr: 3 });
    r.start('french', { attributes: { language: 'fr' } }); // priority 20, waits
    r.when({ type: 'SetCapacity', agentId: 'a1', channels: [{ channel: 2, capacity: 2 }], total: 0 });
    // The freed slot went to the French conversation, not to a later low-priority one.
    expect(r.status('french')?.agentId).toBe('a1');
    r.start('low');
    expect(r.status('low')?.status).toBe('waiting');
  });

  test('an agent that cannot serve the high-priority conversation takes the lower one (no inversion)', () => {
    const r = tenant();
    busyAgent(r, 'a1', { en: 3 });
    r.start('french', { attributes: { language: 'fr' } });
    r.start('english');
    const events = r.when({
      type: 'CompleteConversation',
      agentId: 'a1',
      conversationId: 'a1-first',
      wrapUpSeconds: 0,
    });
    expect(offeredTo(events)).toEqual([['english', 'a1']]);
    expect(r.status('french')?.status).toBe('waiting');
  });

  test('an agent coming online takes the best waiting conversations up to its capacity', () => {
    const r = tenant();
    r.start('c1');
    r.start('c2', { tier: 'gold' });
    r.start('c3');
    r.agent('a1', { en: 2 }, { chat: 2 }, { presence: Presence.OFFLINE });
    const events = r.when({ type: 'SetPresence', agentId: 'a1', presence: Presence.AVAILABLE });
    expect(offeredTo(events)).toEqual([
      ['c2', 'a1'],
      ['c1', 'a1'],
    ]);
  });

  test('gaining a skill makes the agent take what it can now serve', () => {
    const r = tenant();
    r.agent('a1', { en: 2 }, { chat: 1 });
    r.start('french', { attributes: { language: 'fr' } });
    expect(r.status('french')?.status).toBe('waiting');
    const events = r.when({ type: 'SetSkills', agentId: 'a1', skills: [{ skill: 'fr', proficiency: 4 }] });
    expect(offeredTo(events)).toEqual([['french', 'a1']]);
  });

  test('a conversation needing a skill nobody has waits, and the queue reports it', () => {
    const r = tenant();
    r.agent('a1', { en: 5 }, { chat: 3 });
    r.start('french', { attributes: { language: 'fr' } });
    expect(r.status('french')?.status).toBe('waiting');
    expect(r.state.queues.get('fr')?.waiting).toBe(1);
  });
});
