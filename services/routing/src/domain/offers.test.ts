import { nextDeadline } from './decide';
import { config, offeredTo, ofType, Routing } from './testing/harness';
import { Presence } from './types';

function team(maxMissed = 2) {
  const r = new Routing();
  r.configure(config({ offers: { offerTimeoutSeconds: 30, maxMissedOffers: maxMissed } }));
  r.agent('a1', {}, { chat: 1 });
  r.agent('a2', {}, { chat: 1 });
  return r;
}

describe('offers', () => {
  test('accepting an offer makes the conversation active for the agent', () => {
    const r = team();
    r.start('c1');
    const events = r.accept('c1');
    expect(events).toMatchObject([
      { type: 'ConversationAssigned', conversationId: 'c1', agentId: 'a1', queueId: 'default' },
    ]);
    expect(r.status('c1')).toEqual({ status: 'active', agentId: 'a1' });
  });

  test('a stale or foreign accept has no effect', () => {
    const r = team();
    r.start('c1');
    const offerId = r.state.conversations.get('c1')?.offerId as string;
    expect(r.when({ type: 'AcceptOffer', agentId: 'a1', conversationId: 'c1', offerId: 'other' })).toEqual(
      [],
    );
    expect(r.when({ type: 'AcceptOffer', agentId: 'a2', conversationId: 'c1', offerId })).toEqual([]);
    expect(r.status('c1')?.status).toBe('offered');
  });

  test('a declined offer goes to someone else, never back to the same agent', () => {
    const r = team();
    r.start('c1');
    const offerId = r.state.conversations.get('c1')?.offerId as string;
    const events = r.when({
      type: 'DeclineOffer',
      agentId: 'a1',
      conversationId: 'c1',
      offerId,
      reason: 'busy',
    });
    expect(events.map((e) => e.type)).toEqual(['OfferDeclined', 'ConversationOffered']);
    expect(offeredTo(events)).toEqual([['c1', 'a2']]);
    const again = r.state.conversations.get('c1')?.offerId as string;
    r.when({ type: 'DeclineOffer', agentId: 'a2', conversationId: 'c1', offerId: again, reason: 'busy' });
    expect(r.status('c1')?.status).toBe('waiting');
    expect(r.state.conversations.get('c1')?.excluded).toEqual(['a1', 'a2']);
  });

  test('the declining agent takes the next waiting conversation it can serve', () => {
    const r = team();
    r.start('c1'); // a1
    r.start('c2'); // a2
    r.start('c3'); // waits
    const offerId = r.state.conversations.get('c1')?.offerId as string;
    const events = r.when({ type: 'DeclineOffer', agentId: 'a1', conversationId: 'c1', offerId, reason: '' });
    // c1 has nobody else (a2 is full), so a1 takes c3.
    expect(offeredTo(events)).toEqual([['c3', 'a1']]);
    expect(r.status('c1')?.status).toBe('waiting');
  });

  test('an offer not accepted in time expires on the tick and is re-routed', () => {
    const r = team();
    r.start('c1');
    expect(nextDeadline(r.state)).toBe(r.now + 30_000);
    expect(r.advance(29)).toEqual([]);
    const events = r.advance(1);
    expect(events.map((e) => e.type)).toEqual(['OfferExpired', 'ConversationOffered']);
    expect(events[0]).toMatchObject({ agentId: 'a1', consecutiveMissed: 1 });
    expect(offeredTo(events)).toEqual([['c1', 'a2']]);
  });

  test('N missed offers in a row set the agent away; an accept in between resets the count', () => {
    const r = team(2);
    r.when({ type: 'SetPresence', agentId: 'a2', presence: Presence.AWAY });
    r.start('c1');
    r.advance(30); // a1 misses c1 (1)
    r.start('c2');
    r.accept('c2'); // resets
    r.when({ type: 'CompleteConversation', agentId: 'a1', conversationId: 'c2', wrapUpSeconds: 0 });
    r.start('c3');
    r.advance(30); // a1 misses c3 (1)
    expect(r.state.agents.get('a1')?.presence).toBe(Presence.AVAILABLE);
    r.start('c4');
    const events = r.advance(30); // a1 misses c4 (2) -> away
    expect(ofType(events, 'OfferExpired').map((e) => e.consecutiveMissed)).toEqual([2]);
    expect(ofType(events, 'AgentStateChanged')).toMatchObject([
      { agentId: 'a1', presence: Presence.AWAY, reason: 'missed_offers' },
    ]);
    expect(r.status('c4')?.status).toBe('waiting');
  });

  test('offer ids and event ids derive from the causing input, never random', () => {
    const r = team();
    const events = r.start('c1');
    expect(events.map((e) => e.eventId)).toEqual(['in-9/0', 'in-9/1']);
    expect(ofType(events, 'ConversationOffered')[0]?.offerId).toBe('in-9/1');
    expect(events.every((e) => e.causationId === 'in-9')).toBe(true);
  });
});
