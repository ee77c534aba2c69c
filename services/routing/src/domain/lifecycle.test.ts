import { config, offeredTo, ofType, Routing, req } from './testing/harness';
import { Presence } from './types';

function tenant(defaultWrapUpSeconds = 0) {
  const r = new Routing();
  r.configure(
    config({
      skills: [
        { id: 'en', name: 'en' },
        { id: 'tech', name: 'tech' },
      ],
      queues: [
        { id: 'general', defaultSkills: [req('en')] },
        { id: 'tech', defaultSkills: [req('tech', 3)], defaultPriority: 4 },
      ],
      defaultQueueId: 'general',
      offers: { defaultWrapUpSeconds, preferredAgentWindowSeconds: 3600 },
    }),
  );
  return r;
}

function active(r: Routing, conversationId: string, opts: Parameters<Routing['start']>[1] = {}) {
  r.start(conversationId, opts);
  r.accept(conversationId);
}

describe('conversation lifecycle', () => {
  test('complete with wrap-up: released, agent in wrap-up, available again on the tick after it ends', () => {
    const r = tenant();
    r.agent('a1', { en: 3 }, { chat: 1 });
    active(r, 'c1');
    r.start('c2');
    const events = r.when({
      type: 'CompleteConversation',
      agentId: 'a1',
      conversationId: 'c1',
      wrapUpSeconds: 20,
    });
    expect(events).toMatchObject([
      { type: 'ConversationReleased', reason: 'completed', wrapUpSeconds: 20 },
      {
        type: 'AgentStateChanged',
        presence: Presence.WRAP_UP,
        wrapUpUntil: r.now + 20_000,
        reason: 'wrap_up',
      },
    ]);
    expect(r.advance(19)).toEqual([]);
    const after = r.advance(1);
    expect(after.map((e) => e.type)).toEqual(['AgentStateChanged', 'ConversationOffered']);
    expect(offeredTo(after)).toEqual([['c2', 'a1']]);
  });

  test('the tenant default wrap-up applies when the agent gives none', () => {
    const r = tenant(15);
    r.agent('a1', { en: 3 }, { chat: 1 });
    active(r, 'c1');
    const events = r.when({
      type: 'CompleteConversation',
      agentId: 'a1',
      conversationId: 'c1',
      wrapUpSeconds: 0,
    });
    expect(ofType(events, 'ConversationReleased')[0]?.wrapUpSeconds).toBe(15);
  });

  test("transfer to a queue re-routes with that queue's requirements", () => {
    const r = tenant();
    r.agent('a1', { en: 3 }, { chat: 1 });
    r.agent('techie', { tech: 4 }, { chat: 1 });
    active(r, 'c1');
    const events = r.when({
      type: 'TransferConversation',
      agentId: 'a1',
      conversationId: 'c1',
      target: { queueId: 'tech' },
      note: 'router issue',
    });
    expect(events.map((e) => e.type)).toEqual([
      'ConversationReleased',
      'ConversationTransferred',
      'ConversationQueued',
      'ConversationOffered',
    ]);
    expect(ofType(events, 'ConversationQueued')[0]).toMatchObject({ queueId: 'tech', priority: 4 });
    expect(offeredTo(events)).toEqual([['c1', 'techie']]);
  });

  test('transfer to an agent offers it to that agent', () => {
    const r = tenant();
    r.agent('a1', { en: 3 }, { chat: 1 });
    r.agent('a2', { en: 3 }, { chat: 2 });
    r.agent('a3', { en: 3 }, { chat: 2 });
    active(r, 'c1');
    const events = r.when({
      type: 'TransferConversation',
      agentId: 'a1',
      conversationId: 'c1',
      target: { agentId: 'a3' },
      note: '',
    });
    expect(offeredTo(events)).toEqual([['c1', 'a3']]);
    expect(ofType(events, 'ConversationOffered')[0]?.reason.summary).toBe('preferred agent');
  });

  test('transfer to an unknown queue is refused', () => {
    const r = tenant();
    r.agent('a1', { en: 3 }, { chat: 1 });
    active(r, 'c1');
    expect(
      r.when({
        type: 'TransferConversation',
        agentId: 'a1',
        conversationId: 'c1',
        target: { queueId: 'nope' },
        note: '',
      }),
    ).toEqual([]);
  });

  test('a bot hand-off routes the conversation with the attributes the bot learned', () => {
    const r = new Routing();
    r.configure(
      config({
        skills: [{ id: 'tech', name: 'tech' }],
        queues: [{ id: 'general' }, { id: 'tech', defaultSkills: [req('tech')] }],
        rules: [
          {
            id: 'tech',
            when: [{ attribute: 'intent', operator: 'in', values: ['wifi', 'router'] }],
            queueId: 'tech',
            skills: [],
          },
        ],
      }),
    );
    const events = r.when({
      type: 'HandOffFromBot',
      conversationId: 'c1',
      botId: 'bot',
      channel: 2,
      customer: { id: 'cust', tier: '' },
      attributes: { intent: 'router' },
    });
    expect(ofType(events, 'ConversationQueued')[0]).toMatchObject({
      queueId: 'tech',
      reason: { ruleId: 'tech' },
    });
  });

  test('abandoned while waiting: removed from the queue', () => {
    const r = tenant();
    r.start('c1');
    expect(r.state.queues.get('general')?.waiting).toBe(1);
    const events = r.when({ type: 'AbandonConversation', conversationId: 'c1', reason: 'hung up' });
    expect(events).toMatchObject([{ type: 'ConversationDequeued', queueId: 'general', reason: 'abandoned' }]);
    expect(r.state.queues.get('general')?.waiting).toBe(0);
    expect(r.status('c1')?.status).toBe('abandoned');
  });

  test('abandoned while offered: the offer is released and the agent takes the next one', () => {
    const r = tenant();
    r.agent('a1', { en: 3 }, { chat: 1 });
    r.start('c1');
    r.start('c2');
    const events = r.when({ type: 'AbandonConversation', conversationId: 'c1', reason: '' });
    expect(events.map((e) => e.type)).toEqual(['ConversationReleased', 'ConversationOffered']);
    expect(offeredTo(events)).toEqual([['c2', 'a1']]);
  });

  test('resolved while active frees the agent', () => {
    const r = tenant();
    r.agent('a1', { en: 3 }, { chat: 1 });
    active(r, 'c1');
    const events = r.when({ type: 'ResolveConversation', conversationId: 'c1' });
    expect(events).toMatchObject([{ type: 'ConversationReleased', reason: 'resolved' }]);
    expect(r.state.agents.get('a1')?.heldTotal).toBe(0);
  });

  test('reopened: routes back, preferring the last agent', () => {
    const r = tenant();
    r.agent('a1', { en: 3 }, { chat: 2 });
    r.agent('a2', { en: 3 }, { chat: 2 });
    active(r, 'c1'); // a1
    r.when({ type: 'CompleteConversation', agentId: 'a1', conversationId: 'c1', wrapUpSeconds: 0 });
    active(r, 'other'); // a2 is idle longer -> takes it; a1 is idle now
    r.start('filler'); // goes to a1 (idle longer than a2 now)
    r.now += 1000;
    const events = r.when({ type: 'ReopenConversation', conversationId: 'c1' });
    expect(ofType(events, 'ConversationQueued')[0]?.preferredAgentId).toBe('a1');
    expect(offeredTo(events)).toEqual([['c1', 'a1']]);
  });

  test('reopen after the preferred agent left goes to someone else and says why', () => {
    const r = tenant();
    r.agent('a1', { en: 3 }, { chat: 1 });
    active(r, 'c1');
    r.when({ type: 'CompleteConversation', agentId: 'a1', conversationId: 'c1', wrapUpSeconds: 0 });
    r.when({ type: 'SetPresence', agentId: 'a1', presence: Presence.OFFLINE });
    r.agent('a2', { en: 3 }, { chat: 1 });
    const events = r.when({ type: 'ReopenConversation', conversationId: 'c1' });
    const offered = ofType(events, 'ConversationOffered')[0];
    expect(offered).toMatchObject({
      agentId: 'a2',
      reason: { skipped: [{ agentId: 'a1', reason: 'not_available' }] },
    });
  });

  test('agent goes offline holding conversations: re-queued at the front of their priority, not lost', () => {
    const r = tenant();
    r.agent('a1', { en: 3 }, { chat: 2 });
    active(r, 'held1');
    r.now += 1000;
    r.start('held2'); // offered, not yet accepted
    r.agent('a2', { en: 3 }, { chat: 1 });
    active(r, 'a2-busy');
    r.now += 1000;
    r.start('waiting'); // waits: both full
    const events = r.when({ type: 'SetPresence', agentId: 'a1', presence: Presence.OFFLINE });
    expect(events.map((e) => e.type)).toEqual([
      'AgentStateChanged',
      'ConversationReleased',
      'ConversationQueued',
      'ConversationReleased',
      'ConversationQueued',
    ]);
    expect(ofType(events, 'ConversationReleased').every((e) => e.reason === 'agent_offline')).toBe(true);
    expect(ofType(events, 'ConversationQueued').every((e) => e.atFront)).toBe(true);
    // When a2 frees up it takes the re-queued conversations before the one that was already waiting.
    const next = r.when({
      type: 'CompleteConversation',
      agentId: 'a2',
      conversationId: 'a2-busy',
      wrapUpSeconds: 0,
    });
    expect(offeredTo(next)).toEqual([['held1', 'a2']]);
    expect(r.status('held2')?.status).toBe('waiting');
    expect(r.status('waiting')?.status).toBe('waiting');
  });
});
