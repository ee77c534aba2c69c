import { create } from '@bufbuild/protobuf';
import {
  AgentStateChangedSchema,
  Channel,
  ConversationOfferedSchema,
  ConversationReleasedSchema,
  ConversationStartedSchema,
  ConversationTransferredSchema,
  CsatSubmittedSchema,
  type Envelope,
  newEnvelope,
  Presence,
  ReleaseReason,
  SetPresenceSchema,
  SlaBreachedSchema,
  SlaClockSchema,
  SlaTarget,
  tsFromMs,
} from '@switchboard/contracts';
import { toFact } from './to-fact';

const T = Date.UTC(2026, 0, 5, 9, 0, 0);

function envelope(payload: Envelope['payload'], aggregateId = 'c1'): Envelope {
  return newEnvelope({
    eventId: 'e1',
    tenantId: 't1',
    aggregateId,
    occurredAtMs: T,
    source: 'test',
    payload,
  });
}

describe('toFact', () => {
  it('given a started conversation, keeps channel and customer by name', () => {
    const r = toFact(
      envelope({
        case: 'conversationStarted',
        value: create(ConversationStartedSchema, {
          channel: Channel.WEB_FORM,
          customer: { id: 'k', tier: 'gold' },
        }),
      }),
    );
    expect(r).toEqual({
      kind: 'fact',
      fact: expect.objectContaining({
        tenantId: 't1',
        eventId: 'e1',
        kind: 'conversation_started',
        conversationId: 'c1',
        occurredAtMs: T,
        channel: 'web_form',
        customerId: 'k',
        customerTier: 'gold',
      }),
    });
  });

  it('given an offer, keeps offer, agent, queue, expiry and routing reason', () => {
    const r = toFact(
      envelope({
        case: 'conversationOffered',
        value: create(ConversationOfferedSchema, {
          conversationId: 'c9',
          offerId: 'o1',
          agentId: 'a1',
          queueId: 'sales',
          channel: Channel.CHAT,
          expiresAt: tsFromMs(T + 30_000),
          reason: { ruleId: 'r1', candidatesConsidered: 4, summary: 'least loaded' },
        }),
      }),
    );
    expect(r).toEqual({
      kind: 'fact',
      fact: expect.objectContaining({
        kind: 'conversation_offered',
        conversationId: 'c9',
        offerId: 'o1',
        agentId: 'a1',
        queue: 'sales',
        channel: 'chat',
        atMs: T + 30_000,
        ruleId: 'r1',
        value: 4,
        reason: 'least loaded',
      }),
    });
  });

  it('given a release, names its reason and keeps the wrap-up', () => {
    const r = toFact(
      envelope({
        case: 'conversationReleased',
        value: create(ConversationReleasedSchema, {
          conversationId: 'c1',
          agentId: 'a1',
          reason: ReleaseReason.AGENT_OFFLINE,
          wrapUpSeconds: 30,
        }),
      }),
    );
    expect(r).toMatchObject({ kind: 'fact', fact: { reason: 'agent_offline', value: 30, agentId: 'a1' } });
  });

  it('given a transfer to a queue, records the target queue', () => {
    const r = toFact(
      envelope({
        case: 'conversationTransferred',
        value: create(ConversationTransferredSchema, {
          conversationId: 'c1',
          fromAgentId: 'a1',
          target: { case: 'queueId', value: 'support' },
        }),
      }),
    );
    expect(r).toMatchObject({
      kind: 'fact',
      fact: { queue: 'support', agentId: 'a1', reason: 'queue:support' },
    });
  });

  it('given an agent state change, keys it by agent with its presence', () => {
    const r = toFact(
      envelope(
        { case: 'agentStateChanged', value: create(AgentStateChangedSchema, { presence: Presence.WRAP_UP }) },
        'a7',
      ),
    );
    expect(r).toMatchObject({
      kind: 'fact',
      fact: { kind: 'agent_state_changed', agentId: 'a7', conversationId: null, presence: 'wrap_up' },
    });
  });

  it('given a breach, keeps target, sequence and breach time', () => {
    const r = toFact(
      envelope({
        case: 'slaBreached',
        value: create(SlaBreachedSchema, {
          clock: create(SlaClockSchema, {
            conversationId: 'c2',
            target: SlaTarget.NEXT_RESPONSE,
            sequence: 3,
          }),
          breachedAt: tsFromMs(T - 5000),
        }),
      }),
    );
    expect(r).toMatchObject({
      kind: 'fact',
      fact: {
        kind: 'sla_breached',
        conversationId: 'c2',
        slaTarget: 'next_response',
        slaSequence: 3,
        atMs: T - 5000,
      },
    });
  });

  it.each([0, 6, 9])('rejects a CSAT score of %i with a stable code', (score) => {
    const r = toFact(envelope({ case: 'csatSubmitted', value: create(CsatSubmittedSchema, { score }) }));
    expect(r).toEqual({
      kind: 'invalid',
      code: 'ANL_ERR_INVALID_EVENT',
      reason: `csat score ${score} is not 1..5`,
    });
  });

  it('rejects an SLA event without a clock or target, and an offer without id', () => {
    expect(toFact(envelope({ case: 'slaBreached', value: create(SlaBreachedSchema, {}) }))).toMatchObject({
      kind: 'invalid',
    });
    expect(
      toFact(
        envelope({
          case: 'slaBreached',
          value: create(SlaBreachedSchema, { clock: create(SlaClockSchema, { conversationId: 'c' }) }),
        }),
      ),
    ).toMatchObject({ kind: 'invalid', reason: 'sla_breached with unspecified target' });
    expect(
      toFact(
        envelope({ case: 'conversationOffered', value: create(ConversationOfferedSchema, { agentId: 'a' }) }),
      ),
    ).toMatchObject({ kind: 'invalid', reason: 'conversation_offered without offer_id' });
    expect(
      toFact(envelope({ case: 'agentStateChanged', value: create(AgentStateChangedSchema, {}) }, 'a1')),
    ).toMatchObject({ kind: 'invalid', reason: 'agent_state_changed without presence' });
  });

  it('ignores agent commands: routing events carry their outcome', () => {
    expect(
      toFact(
        envelope({ case: 'setPresence', value: create(SetPresenceSchema, { presence: Presence.AWAY }) }),
      ),
    ).toEqual({ kind: 'ignored' });
  });
});
