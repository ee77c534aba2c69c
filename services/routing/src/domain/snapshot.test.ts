import { fromSnapshot, toSnapshot } from './snapshot';
import { config, Routing, req } from './testing/harness';
import { RoutingError } from './types';

describe('snapshot', () => {
  test('round trip gives equal bytes and the same next decisions', () => {
    const r = new Routing();
    r.configure(
      config({ skills: [{ id: 'en', name: 'en' }], queues: [{ id: 'q', defaultSkills: [req('en')] }] }),
    );
    r.agent('a1', { en: 3 }, { chat: 1 });
    r.start('c1');
    r.start('c2');
    const bytes = toSnapshot(r.state);
    const restored = fromSnapshot(bytes);
    expect(toSnapshot(restored)).toEqual(bytes);
    const copy = new Routing();
    copy.state = restored;
    copy.now = r.now;
    const cmd = {
      type: 'DeclineOffer' as const,
      eventId: 'd1',
      agentId: 'a1',
      conversationId: 'c1',
      offerId: r.state.conversations.get('c1')?.offerId as string,
      reason: '',
    };
    expect(copy.when(cmd)).toEqual(r.when(cmd));
  });

  test('garbage is refused with a stable code', () => {
    let error: unknown;
    try {
      fromSnapshot(new Uint8Array([0xff, 0xff, 0xff]));
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(RoutingError);
    expect(error).toMatchObject({ code: 'RTG_ERR_INVALID_SNAPSHOT' });
  });
});
