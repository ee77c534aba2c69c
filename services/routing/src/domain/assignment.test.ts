import { config, offeredTo, ofType, Routing, req } from './testing/harness';
import { Presence } from './types';

const skills = [
  { id: 'en', name: 'English' },
  { id: 'de', name: 'German' },
  { id: 'billing', name: 'Billing' },
];

function tenant() {
  const r = new Routing();
  r.configure(
    config({
      skills,
      queues: [
        { id: 'general', defaultSkills: [req('en')] },
        { id: 'billing', defaultSkills: [req('en'), req('billing', 3)], defaultPriority: 5 },
      ],
      rules: [
        {
          id: 'billing-topic',
          when: [{ attribute: 'topic', operator: 'equals', values: ['billing'] }],
          queueId: 'billing',
          skills: [],
        },
      ],
      defaultQueueId: 'general',
    }),
  );
  return r;
}

describe('assignment by skill and load', () => {
  test('given an eligible agent, when a conversation starts, then it is queued and offered at once', () => {
    const r = tenant();
    r.agent('a1', { en: 3 }, { chat: 2 });
    const events = r.start('c1');
    expect(events.map((e) => e.type)).toEqual(['ConversationQueued', 'ConversationOffered']);
    expect(offeredTo(events)).toEqual([['c1', 'a1']]);
    const queued = ofType(events, 'ConversationQueued')[0];
    expect(queued?.queueId).toBe('general');
    expect(queued?.reason.summary).toMatch(/^offered: least loaded/);
  });

  test('given agents with different loads, the least loaded relative to capacity wins', () => {
    const r = tenant();
    r.agent('busy', { en: 3 }, { chat: 2 });
    r.agent('idle', { en: 3 }, { chat: 4 });
    r.start('c1'); // ties on load 0: longest idle = never assigned, then first seen -> busy
    expect(r.status('c1')?.agentId).toBe('busy');
    r.now += 1000;
    r.start('c2'); // busy is at 1/2, idle at 0/4
    expect(r.status('c2')?.agentId).toBe('idle');
    r.now += 1000;
    r.start('c3'); // busy 1/2 = 0.5, idle 1/4 = 0.25
    expect(r.status('c3')?.agentId).toBe('idle');
  });

  test('given equal loads, the longest idle agent wins', () => {
    const r = tenant();
    r.agent('a1', { en: 3 }, { chat: 1 });
    r.agent('a2', { en: 3 }, { chat: 1 });
    r.start('c1');
    r.now += 1000;
    r.start('c2');
    expect([r.status('c1')?.agentId, r.status('c2')?.agentId]).toEqual(['a1', 'a2']);
    r.accept('c1');
    r.accept('c2');
    r.now += 1000;
    r.when({ type: 'CompleteConversation', agentId: 'a2', conversationId: 'c2', wrapUpSeconds: 0 });
    r.when({ type: 'CompleteConversation', agentId: 'a1', conversationId: 'c1', wrapUpSeconds: 0 });
    r.now += 1000;
    // Both free with load 0; a1 was assigned first, so it has been idle longest.
    r.start('c3');
    expect(r.status('c3')?.agentId).toBe('a1');
  });

  test('a rule on an attribute picks queue, skills and priority', () => {
    const r = tenant();
    r.agent('novice', { en: 5, billing: 2 }, { chat: 1 });
    r.agent('expert', { en: 1, billing: 4 }, { chat: 1 });
    const events = r.start('c1', { attributes: { topic: 'billing' } });
    const queued = ofType(events, 'ConversationQueued')[0];
    expect(queued).toMatchObject({ queueId: 'billing', priority: 5, reason: { ruleId: 'billing-topic' } });
    expect(r.status('c1')?.agentId).toBe('expert');
  });

  test('given nobody eligible, the conversation waits and the reason says why the top candidates were skipped', () => {
    const r = tenant();
    r.agent('a1', { en: 5, billing: 1 }, { chat: 3 });
    const events = r.start('c1', { attributes: { topic: 'billing' } });
    expect(events.map((e) => e.type)).toEqual(['ConversationQueued']);
    expect(ofType(events, 'ConversationQueued')[0]?.reason).toMatchObject({
      summary: 'no eligible agent (1 ready on the channel)',
      candidatesConsidered: 1,
      skipped: [{ agentId: 'a1', reason: 'missing_skill' }],
    });
    expect(r.status('c1')?.status).toBe('waiting');
  });

  test('edge: an agent with capacity 0 on the channel gets nothing', () => {
    const r = tenant();
    r.agent('a1', { en: 5 }, { chat: 0, voice: 1 });
    r.start('c1', { channel: 'chat' });
    expect(r.status('c1')?.status).toBe('waiting');
  });

  test('edge: an agent with every skill but the wrong channel gets nothing; the right channel does', () => {
    const r = tenant();
    r.agent('voice-only', { en: 5, billing: 5 }, { voice: 1 });
    r.start('c1', { channel: 'chat' });
    expect(r.status('c1')?.status).toBe('waiting');
    r.start('c2', { channel: 'voice' });
    expect(r.status('c2')?.agentId).toBe('voice-only');
  });

  test('the overall cap limits an agent across channels', () => {
    const r = tenant();
    r.agent('a1', { en: 5 }, { chat: 3, email: 3 }, { total: 2 });
    r.start('c1', { channel: 'chat' });
    r.start('c2', { channel: 'email' });
    r.start('c3', { channel: 'chat' });
    expect([r.status('c1')?.agentId, r.status('c2')?.agentId, r.status('c3')?.status]).toEqual([
      'a1',
      'a1',
      'waiting',
    ]);
  });

  test('agents that are away, offline or in wrap-up are not offered anything', () => {
    const r = tenant();
    r.agent('away', { en: 5 }, { chat: 3 }, { presence: Presence.AWAY });
    r.agent('off', { en: 5 }, { chat: 3 }, { presence: Presence.OFFLINE });
    r.start('c1');
    expect(r.status('c1')?.status).toBe('waiting');
  });

  test('the preferred agent (last agent of the customer) goes first within the window, then not', () => {
    const r = new Routing();
    r.configure(config({ offers: { preferredAgentWindowSeconds: 600 } }));
    r.agent('a1', {}, { chat: 1 });
    r.agent('a2', {}, { chat: 1 });
    r.start('c1', { customer: 'alice' });
    r.start('x', { customer: 'bob' });
    expect(r.status('c1')?.agentId).toBe('a1');
    r.accept('c1');
    r.accept('x');
    r.when({ type: 'CompleteConversation', agentId: 'a1', conversationId: 'c1', wrapUpSeconds: 0 });
    r.when({ type: 'CompleteConversation', agentId: 'a2', conversationId: 'x', wrapUpSeconds: 0 });
    r.now += 60_000;
    // Make a1 busier than a2, so that only the preference can send alice to a1.
    r.agent('a1', {}, { chat: 2 });
    r.start('filler', { customer: 'carol' });
    expect(r.status('filler')?.agentId).toBe('a1');
    r.start('c2', { customer: 'alice' });
    const offered = ofType(r.log, 'ConversationOffered').at(-1);
    expect(offered).toMatchObject({
      conversationId: 'c2',
      agentId: 'a1',
      reason: { summary: 'preferred agent' },
    });
    r.accept('c2');
    r.when({ type: 'CompleteConversation', agentId: 'a1', conversationId: 'c2', wrapUpSeconds: 0 });
    r.now += 601_000;
    r.start('c3', { customer: 'alice' });
    expect(ofType(r.log, 'ConversationQueued').at(-1)?.preferredAgentId).toBe('');
  });
});
