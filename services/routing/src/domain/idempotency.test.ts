import { decide } from './decide';
import { fromSnapshot, toSnapshot } from './snapshot';
import { createState, evolveAll } from './state';
import { config, Routing } from './testing/harness';

describe('idempotency', () => {
  test('an input whose event id was seen has no effect', () => {
    const r = new Routing();
    r.configure(config({}));
    r.agent('a1', {}, { chat: 2 });
    const start = {
      type: 'StartConversation' as const,
      eventId: 'adapter-evt-1',
      conversationId: 'c1',
      channel: 2,
      customer: { id: 'x', tier: '' },
      attributes: {},
    };
    expect(r.when(start)).toHaveLength(2);
    expect(r.when(start)).toEqual([]);
    expect(r.when({ ...start, conversationId: 'c2' })).toEqual([]); // same id, different content: still a retry
    expect(r.state.agents.get('a1')?.heldTotal).toBe(1);
  });

  test('the window is bounded: the oldest ids are forgotten first', () => {
    const state = createState({ idempotencyWindow: 3 });
    const now = 1_000;
    for (const id of ['e1', 'e2', 'e3', 'e4'])
      evolveAll(state, decide(state, { type: 'SetPresence', eventId: id, agentId: id, presence: 2 }, now));
    expect(state.seen.size).toBe(3);
    expect(state.seen.has('e1')).toBe(false);
    expect(state.recentIds()).toEqual(['e2', 'e3', 'e4']);
  });

  test('the window survives a snapshot', () => {
    const state = createState();
    evolveAll(
      state,
      decide(state, { type: 'SetPresence', eventId: 'once', agentId: 'a1', presence: 2 }, 1_000),
    );
    const restored = fromSnapshot(toSnapshot(state));
    expect(
      decide(restored, { type: 'SetPresence', eventId: 'once', agentId: 'a1', presence: 3 }, 2_000),
    ).toEqual([]);
  });
});
