import { type Envelope, msFromTs, type SlaClock } from '@switchboard/contracts';
import {
  channelName,
  escalationTriggerName,
  presenceName,
  releaseReasonName,
  slaTargetName,
} from './enum-names';
import { AnalyticsErrorCode } from './errors';
import { emptyFact, type Fact, type FactKind } from './fact';

export type ToFactResult =
  | { kind: 'fact'; fact: Fact }
  /** Not a read-model input (agent commands, config): consumed and skipped. */
  | { kind: 'ignored' }
  | { kind: 'invalid'; code: AnalyticsErrorCode; reason: string };

const invalid = (reason: string): ToFactResult => ({
  kind: 'invalid',
  code: AnalyticsErrorCode.invalidEvent,
  reason,
});
const orNull = (s: string | undefined): string | null => (s ? s : null);

/** Maps one envelope to its fact, pure. */
export function toFact(envelope: Envelope): ToFactResult {
  const p = envelope.payload;
  if (p.case === undefined) return invalid('payload is missing');
  const base = (kind: FactKind): Fact =>
    emptyFact({
      tenantId: envelope.tenantId,
      eventId: envelope.eventId,
      kind,
      occurredAtMs: msFromTs(envelope.occurredAt),
    });
  const forConversation = (kind: FactKind, conversationId = ''): Fact => ({
    ...base(kind),
    conversationId: conversationId || envelope.aggregateId,
  });
  const ok = (fact: Fact): ToFactResult => ({ kind: 'fact', fact });

  switch (p.case) {
    case 'conversationStarted':
      return ok({
        ...forConversation('conversation_started'),
        channel: channelName(p.value.channel),
        customerId: orNull(p.value.customer?.id),
        customerTier: orNull(p.value.customer?.tier),
      });
    case 'customerMessageReceived':
      return ok(forConversation('customer_message_received'));
    case 'agentMessageSent':
      return ok({ ...forConversation('agent_message_sent'), agentId: orNull(p.value.agentId) });
    case 'conversationResolved':
      return ok({ ...forConversation('conversation_resolved'), reason: orNull(p.value.resolution) });
    case 'conversationAbandoned':
      return ok({ ...forConversation('conversation_abandoned'), reason: orNull(p.value.reason) });
    case 'conversationReopened':
      return ok({ ...forConversation('conversation_reopened'), reason: orNull(p.value.reason) });
    case 'csatSubmitted':
      if (p.value.score < 1 || p.value.score > 5) return invalid(`csat score ${p.value.score} is not 1..5`);
      return ok({ ...forConversation('csat_submitted'), value: p.value.score });
    case 'botHandoffRequested':
      return ok({
        ...forConversation('bot_handoff_requested'),
        channel: channelName(p.value.channel),
        customerId: orNull(p.value.customer?.id),
        customerTier: orNull(p.value.customer?.tier),
        reason: orNull(p.value.botId),
      });
    case 'conversationQueued':
      return ok({
        ...forConversation('conversation_queued', p.value.conversationId),
        queue: orNull(p.value.queueId),
        priority: p.value.priority,
        channel: channelName(p.value.channel),
        customerId: orNull(p.value.customerId),
        customerTier: orNull(p.value.customerTier),
        reason: orNull(p.value.reason?.summary),
        ruleId: orNull(p.value.reason?.ruleId),
        value: p.value.reason?.candidatesConsidered ?? null,
      });
    case 'conversationOffered':
      if (!p.value.offerId) return invalid('conversation_offered without offer_id');
      return ok({
        ...forConversation('conversation_offered', p.value.conversationId),
        offerId: p.value.offerId,
        agentId: orNull(p.value.agentId),
        queue: orNull(p.value.queueId),
        channel: channelName(p.value.channel),
        atMs: p.value.expiresAt ? msFromTs(p.value.expiresAt) : null,
        reason: orNull(p.value.reason?.summary),
        ruleId: orNull(p.value.reason?.ruleId),
        value: p.value.reason?.candidatesConsidered ?? null,
      });
    case 'offerExpired':
      if (!p.value.offerId) return invalid('offer_expired without offer_id');
      return ok({
        ...forConversation('offer_expired', p.value.conversationId),
        offerId: p.value.offerId,
        agentId: orNull(p.value.agentId),
        value: p.value.consecutiveMissed,
      });
    case 'offerDeclined':
      if (!p.value.offerId) return invalid('offer_declined without offer_id');
      return ok({
        ...forConversation('offer_declined', p.value.conversationId),
        offerId: p.value.offerId,
        agentId: orNull(p.value.agentId),
        reason: orNull(p.value.reason),
      });
    case 'conversationAssigned':
      if (!p.value.offerId) return invalid('conversation_assigned without offer_id');
      return ok({
        ...forConversation('conversation_assigned', p.value.conversationId),
        offerId: p.value.offerId,
        agentId: orNull(p.value.agentId),
        queue: orNull(p.value.queueId),
        channel: channelName(p.value.channel),
      });
    case 'conversationReleased':
      return ok({
        ...forConversation('conversation_released', p.value.conversationId),
        agentId: orNull(p.value.agentId),
        reason: releaseReasonName(p.value.reason),
        value: p.value.wrapUpSeconds,
      });
    case 'conversationDequeued':
      return ok({
        ...forConversation('conversation_dequeued', p.value.conversationId),
        queue: orNull(p.value.queueId),
        reason: orNull(p.value.reason),
      });
    case 'conversationEscalated':
      return ok({
        ...forConversation('conversation_escalated', p.value.conversationId),
        queue: orNull(p.value.newQueueId) ?? orNull(p.value.queueId),
        priority: p.value.newPriority,
        value: p.value.stepIndex,
        reason: escalationTriggerName(p.value.trigger),
      });
    case 'conversationTransferred': {
      const t = p.value.target;
      return ok({
        ...forConversation('conversation_transferred', p.value.conversationId),
        agentId: orNull(p.value.fromAgentId),
        queue: t.case === 'queueId' ? orNull(t.value) : null,
        reason: t.case === undefined ? null : `${t.case === 'queueId' ? 'queue' : 'agent'}:${t.value}`,
      });
    }
    case 'agentStateChanged': {
      const agentId = p.value.agentId || envelope.aggregateId;
      const presence = presenceName(p.value.presence);
      if (presence === null) return invalid('agent_state_changed without presence');
      return ok({
        ...base('agent_state_changed'),
        agentId,
        presence,
        value: p.value.totalCapacity,
        atMs: p.value.wrapUpUntil ? msFromTs(p.value.wrapUpUntil) : null,
        reason: orNull(p.value.reason),
      });
    }
    case 'slaClockStarted':
      return sla(envelope, 'sla_clock_started', p.value.clock, p.value.targetSeconds, p.value.dueAt);
    case 'slaClockPaused':
      return sla(envelope, 'sla_clock_paused', p.value.clock, p.value.elapsedSeconds, undefined);
    case 'slaClockResumed':
      return sla(envelope, 'sla_clock_resumed', p.value.clock, null, p.value.dueAt);
    case 'slaWarningRaised':
      return sla(envelope, 'sla_warning_raised', p.value.clock, p.value.thresholdPercent, p.value.dueAt);
    case 'slaBreached':
      return sla(envelope, 'sla_breached', p.value.clock, null, p.value.breachedAt ?? envelope.occurredAt);
    case 'slaMet':
      return sla(envelope, 'sla_met', p.value.clock, p.value.elapsedSeconds, undefined);
    case 'slaClockCancelled': {
      const r = sla(envelope, 'sla_clock_cancelled', p.value.clock, null, undefined);
      return r.kind === 'fact' ? { kind: 'fact', fact: { ...r.fact, reason: orNull(p.value.reason) } } : r;
    }
    default:
      // Agent commands and tenant configuration do not feed the read models.
      return { kind: 'ignored' };
  }
}

function sla(
  envelope: Envelope,
  kind: FactKind,
  clock: SlaClock | undefined,
  value: number | null,
  at: Parameters<typeof msFromTs>[0],
): ToFactResult {
  if (!clock) return invalid(`${kind} without clock`);
  const target = slaTargetName(clock.target);
  if (target === null) return invalid(`${kind} with unspecified target`);
  return {
    kind: 'fact',
    fact: {
      ...emptyFact({
        tenantId: envelope.tenantId,
        eventId: envelope.eventId,
        kind,
        occurredAtMs: msFromTs(envelope.occurredAt),
      }),
      conversationId: clock.conversationId || envelope.aggregateId,
      slaTarget: target,
      slaSequence: clock.sequence,
      slaPolicyId: orNull(clock.policyId),
      value,
      atMs: at ? msFromTs(at) : null,
    },
  };
}
