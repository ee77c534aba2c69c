import { decodeEnvelope, encodeEnvelope } from '@switchboard/contracts';
import { eventFromEnvelope, eventToEnvelope } from '../domain/envelope-mapping';
import type { EventType, RoutingEvent } from '../domain/events';
import { config, Routing, req } from '../domain/testing/harness';
import { Presence } from '../domain/types';

/** A run that produces every kind of routing event. */
function everyKindOfEvent(): RoutingEvent[] {
  const r = new Routing();
  r.when({ type: 'ApplyTenantConfig', version: 1, config: config({ defaultQueueId: 'missing' }) });
  r.configure(
    config({
      skills: [
        { id: 'en', name: 'English' },
        { id: 'vip', name: 'VIP' },
      ],
      queues: [
        {
          id: 'general',
          defaultSkills: [req('en', 3), req('vip', 2, true)],
          escalation: [
            {
              afterSeconds: 20,
              onSlaWarning: true,
              onSlaBreach: false,
              relaxMinProficiencyBy: 1,
              dropOptionalSkills: true,
              raisePriorityBy: 2,
              overflowQueueId: '',
            },
            {
              afterSeconds: 40,
              onSlaWarning: false,
              onSlaBreach: true,
              relaxMinProficiencyBy: 0,
              dropOptionalSkills: false,
              raisePriorityBy: 0,
              overflowQueueId: 'any',
            },
          ],
        },
        { id: 'any', defaultPriority: 3 },
      ],
      rules: [
        {
          id: 'gold',
          when: [{ attribute: 'customer.tier', operator: 'equals', values: ['gold'] }],
          queueId: 'general',
          skills: [req('en', 4)],
          priority: 7,
        },
      ],
      defaultQueueId: 'general',
      offers: {
        offerTimeoutSeconds: 5,
        maxMissedOffers: 1,
        preferredAgentWindowSeconds: 60,
        defaultWrapUpSeconds: 3,
      },
    }),
  );
  r.agent('a1', { en: 5, vip: 3 }, { chat: 2, voice: 1 }, { total: 2 });
  r.start('c1', { tier: 'gold', attributes: { language: 'en' } });
  r.advance(6); // offer expires, a1 goes away
  r.when({ type: 'SetPresence', agentId: 'a1', presence: Presence.AVAILABLE });
  r.agent('a2', { en: 4 }, { chat: 1 });
  r.start('c2');
  const c2 = r.state.conversations.get('c2');
  r.when({
    type: 'DeclineOffer',
    agentId: c2?.agentId ?? '',
    conversationId: 'c2',
    offerId: c2?.offerId ?? '',
    reason: 'busy',
  });
  if (r.state.conversations.get('c2')?.status !== 'offered') r.agent('a4', { en: 5 }, { chat: 1 });
  r.accept('c2');
  r.when({
    type: 'TransferConversation',
    agentId: r.status('c2')?.agentId ?? '',
    conversationId: 'c2',
    target: { queueId: 'any' },
    note: 'n',
  });
  r.start('c3', { channel: 'voice' });
  r.when({ type: 'EscalateOnSla', conversationId: 'c3', kind: 'warning' });
  r.advance(45);
  r.start('c4');
  r.when({ type: 'AbandonConversation', conversationId: 'c4', reason: 'hung up' });
  r.agent('a3', { en: 5, vip: 5 }, { chat: 3, voice: 1 });
  for (const id of ['c1', 'c2', 'c3']) if (r.state.conversations.get(id)?.status === 'offered') r.accept(id);
  const active = [...r.state.conversations.values()].filter((c) => c.status === 'active');
  const [x, y] = active;
  if (x)
    r.when({
      type: 'TransferConversation',
      agentId: x.agentId,
      conversationId: x.id,
      target: { agentId: x.agentId === 'a3' ? 'a2' : 'a3' },
      note: '',
    });
  if (y) r.when({ type: 'CompleteConversation', agentId: y.agentId, conversationId: y.id, wrapUpSeconds: 0 });
  r.advance(10);
  return r.log;
}

describe('routing events on the changelog', () => {
  const events = everyKindOfEvent();

  it('covers every kind of routing event', () => {
    const kinds: EventType[] = [
      'ConversationQueued',
      'ConversationOffered',
      'OfferExpired',
      'OfferDeclined',
      'ConversationAssigned',
      'ConversationReleased',
      'ConversationDequeued',
      'ConversationEscalated',
      'ConversationTransferred',
      'AgentStateChanged',
      'RoutingConfigApplied',
      'RoutingConfigRejected',
    ];
    expect(new Set(events.map((e) => e.type))).toEqual(new Set(kinds));
  });

  it('given any routing event, when written as an envelope and read back, then it is the same event', () => {
    for (const e of events) {
      const bytes = encodeEnvelope(eventToEnvelope('tenant-1', e, 'routing'));
      const back = decodeEnvelope(bytes);
      expect(back.tenantId).toBe('tenant-1');
      expect(back.causationId).toBe(e.causationId);
      expect(eventFromEnvelope(back)).toEqual(e);
    }
  });

  it('reads no routing event from other payloads', () => {
    const e = eventToEnvelope('t', events[0] as RoutingEvent, 'routing');
    expect(eventFromEnvelope({ ...e, payload: { case: undefined } })).toBeUndefined();
  });
});
