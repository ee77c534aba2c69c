/**
 * A fact is the compact, flat form of one projected event: the projection input stored in
 * `event_log`. Every read model is a pure function of the set of facts, which is what makes the
 * projection order-independent and duplicate-proof.
 */
export type FactKind =
  | 'conversation_started'
  | 'customer_message_received'
  | 'agent_message_sent'
  | 'conversation_resolved'
  | 'conversation_abandoned'
  | 'conversation_reopened'
  | 'csat_submitted'
  | 'bot_handoff_requested'
  | 'conversation_queued'
  | 'conversation_offered'
  | 'offer_expired'
  | 'offer_declined'
  | 'conversation_assigned'
  | 'conversation_released'
  | 'conversation_dequeued'
  | 'conversation_escalated'
  | 'conversation_transferred'
  | 'agent_state_changed'
  | 'sla_clock_started'
  | 'sla_clock_paused'
  | 'sla_clock_resumed'
  | 'sla_warning_raised'
  | 'sla_breached'
  | 'sla_met'
  | 'sla_clock_cancelled';

export interface Fact {
  tenantId: string;
  eventId: string;
  kind: FactKind;
  conversationId: string | null;
  agentId: string | null;
  occurredAtMs: number;
  queue: string | null;
  channel: string | null;
  priority: number | null;
  offerId: string | null;
  customerId: string | null;
  customerTier: string | null;
  presence: string | null;
  slaTarget: string | null;
  slaSequence: number | null;
  slaPolicyId: string | null;
  /** Kind-specific number: CSAT score, wrap-up or elapsed seconds, threshold percent, candidates, ... */
  value: number | null;
  /** Kind-specific time: offer expiry, SLA due or breach time, wrap-up end. */
  atMs: number | null;
  reason: string | null;
  ruleId: string | null;
}

/** A fact with every optional field empty, for building one kind at a time. */
export function emptyFact(base: Pick<Fact, 'tenantId' | 'eventId' | 'kind' | 'occurredAtMs'>): Fact {
  return {
    ...base,
    conversationId: null,
    agentId: null,
    queue: null,
    channel: null,
    priority: null,
    offerId: null,
    customerId: null,
    customerTier: null,
    presence: null,
    slaTarget: null,
    slaSequence: null,
    slaPolicyId: null,
    value: null,
    atMs: null,
    reason: null,
    ruleId: null,
  };
}
