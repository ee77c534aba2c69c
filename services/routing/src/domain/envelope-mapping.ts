import { create } from '@bufbuild/protobuf';
import {
  AgentStateChangedSchema,
  ConversationAssignedSchema,
  ConversationDequeuedSchema,
  ConversationEscalatedSchema,
  ConversationOfferedSchema,
  ConversationQueuedSchema,
  ConversationReleasedSchema,
  ConversationTransferredSchema,
  type Envelope,
  type EnvelopePayload,
  msFromTs,
  newEnvelope,
  OfferDeclinedSchema,
  OfferExpiredSchema,
  type RoutingReason as ProtoReason,
  ReleaseReason as ProtoReleaseReason,
  EscalationTrigger as ProtoTrigger,
  RoutingConfigAppliedSchema,
  RoutingConfigRejectedSchema,
  RoutingReasonSchema,
  TenantConfigSchema,
  tsFromMs,
} from '@switchboard/contracts';
import type { RoutingCommand } from './commands';
import {
  requirementFromProto,
  requirementToProto,
  routingConfigFromProto,
  routingConfigToProto,
} from './config-proto';
import type { EscalationTrigger, ReleaseReason, RoutingEvent, RoutingReason, SkipReason } from './events';

/**
 * Pure mappings between envelopes and the core's commands and events (they import nothing but the
 * contracts). Payloads routing does not act on (messages, CSAT, SLA clocks) map to undefined.
 * Time: a command's `now` is the caller's (the service's clock, or `RoutingTick.now`).
 */
export function commandFromEnvelope(env: Envelope): RoutingCommand | undefined {
  const eventId = env.eventId;
  const id = env.aggregateId;
  const p = env.payload;
  switch (p.case) {
    case 'conversationStarted':
      return {
        type: 'StartConversation',
        eventId,
        conversationId: id,
        channel: p.value.channel,
        customer: { id: p.value.customer?.id ?? '', tier: p.value.customer?.tier ?? '' },
        attributes: { ...p.value.attributes },
      };
    case 'botHandoffRequested':
      return {
        type: 'HandOffFromBot',
        eventId,
        conversationId: id,
        botId: p.value.botId,
        channel: p.value.channel,
        customer: { id: p.value.customer?.id ?? '', tier: p.value.customer?.tier ?? '' },
        attributes: { ...p.value.attributes },
      };
    case 'conversationResolved':
      return { type: 'ResolveConversation', eventId, conversationId: id };
    case 'conversationAbandoned':
      return { type: 'AbandonConversation', eventId, conversationId: id, reason: p.value.reason };
    case 'conversationReopened':
      return { type: 'ReopenConversation', eventId, conversationId: id };
    case 'setPresence':
      return { type: 'SetPresence', eventId, agentId: id, presence: p.value.presence };
    case 'setSkills':
      return {
        type: 'SetSkills',
        eventId,
        agentId: id,
        skills: p.value.skills.map((s) => ({ skill: s.skill, proficiency: s.proficiency })),
      };
    case 'setCapacity':
      return {
        type: 'SetCapacity',
        eventId,
        agentId: id,
        channels: p.value.channels.map((c) => ({ channel: c.channel, capacity: c.capacity })),
        total: p.value.total,
      };
    case 'acceptOffer':
      return {
        type: 'AcceptOffer',
        eventId,
        agentId: id,
        conversationId: p.value.conversationId,
        offerId: p.value.offerId,
      };
    case 'declineOffer':
      return {
        type: 'DeclineOffer',
        eventId,
        agentId: id,
        conversationId: p.value.conversationId,
        offerId: p.value.offerId,
        reason: p.value.reason,
      };
    case 'completeConversation':
      return {
        type: 'CompleteConversation',
        eventId,
        agentId: id,
        conversationId: p.value.conversationId,
        wrapUpSeconds: p.value.wrapUpSeconds,
      };
    case 'transferConversation': {
      const t = p.value.target;
      if (t.case === undefined) return undefined;
      return {
        type: 'TransferConversation',
        eventId,
        agentId: id,
        conversationId: p.value.conversationId,
        target: t.case === 'queueId' ? { queueId: t.value } : { agentId: t.value },
        note: p.value.note,
      };
    }
    case 'slaWarningRaised':
    case 'slaBreached':
      return {
        type: 'EscalateOnSla',
        eventId,
        conversationId: p.value.clock?.conversationId || id,
        kind: p.case === 'slaWarningRaised' ? 'warning' : 'breach',
      };
    case 'routingTick':
      // The time is the decision's `now`: msFromTs(p.value.now), passed to decide by the caller.
      return { type: 'Tick' };
    case 'tenantConfigApplied':
      return {
        type: 'ApplyTenantConfig',
        eventId,
        version: Number(p.value.version),
        config: routingConfigFromProto(p.value.config ?? create(TenantConfigSchema)),
      };
    default:
      return undefined;
  }
}

const RELEASE_TO: Record<ReleaseReason, ProtoReleaseReason> = {
  completed: ProtoReleaseReason.COMPLETED,
  transferred: ProtoReleaseReason.TRANSFERRED,
  agent_offline: ProtoReleaseReason.AGENT_OFFLINE,
  resolved: ProtoReleaseReason.RESOLVED,
  abandoned: ProtoReleaseReason.ABANDONED,
};
const TRIGGER_TO: Record<EscalationTrigger, ProtoTrigger> = {
  wait_time: ProtoTrigger.WAIT_TIME,
  sla_warning: ProtoTrigger.SLA_WARNING,
  sla_breach: ProtoTrigger.SLA_BREACH,
};
const invert = <K extends string, V extends number>(m: Record<K, V>) =>
  Object.fromEntries(Object.entries(m).map(([k, v]) => [v, k])) as Record<number, K>;
const RELEASE_FROM = invert(RELEASE_TO);
const TRIGGER_FROM = invert(TRIGGER_TO);

function reasonToProto(r: RoutingReason): ProtoReason {
  return create(RoutingReasonSchema, {
    ruleId: r.ruleId,
    candidatesConsidered: r.candidatesConsidered,
    skipped: r.skipped,
    summary: r.summary,
  });
}

function reasonFromProto(r: ProtoReason | undefined): RoutingReason {
  return {
    ruleId: r?.ruleId ?? '',
    candidatesConsidered: r?.candidatesConsidered ?? 0,
    skipped: (r?.skipped ?? []).map((s) => ({ agentId: s.agentId, reason: s.reason as SkipReason })),
    summary: r?.summary ?? '',
  };
}

/** The envelope payload of a routing event. */
export function eventPayload(e: RoutingEvent): EnvelopePayload {
  switch (e.type) {
    case 'ConversationQueued':
      return {
        case: 'conversationQueued',
        value: create(ConversationQueuedSchema, {
          conversationId: e.conversationId,
          queueId: e.queueId,
          priority: e.priority,
          requiredSkills: e.requiredSkills.map(requirementToProto),
          channel: e.channel,
          customerId: e.customerId,
          customerTier: e.customerTier,
          reason: reasonToProto(e.reason),
          atFront: e.atFront,
          waitingSince: tsFromMs(e.waitingSince),
          preferredAgentId: e.preferredAgentId,
          escalationStepsApplied: e.escalationStepsApplied,
          queueEnteredAt: tsFromMs(e.queueEnteredAt),
        }),
      };
    case 'ConversationOffered':
      return {
        case: 'conversationOffered',
        value: create(ConversationOfferedSchema, {
          conversationId: e.conversationId,
          offerId: e.offerId,
          agentId: e.agentId,
          queueId: e.queueId,
          channel: e.channel,
          expiresAt: tsFromMs(e.expiresAt),
          reason: reasonToProto(e.reason),
        }),
      };
    case 'OfferExpired':
      return { case: 'offerExpired', value: create(OfferExpiredSchema, { ...strip(e) }) };
    case 'OfferDeclined':
      return { case: 'offerDeclined', value: create(OfferDeclinedSchema, { ...strip(e) }) };
    case 'ConversationAssigned':
      return { case: 'conversationAssigned', value: create(ConversationAssignedSchema, { ...strip(e) }) };
    case 'ConversationReleased':
      return {
        case: 'conversationReleased',
        value: create(ConversationReleasedSchema, {
          conversationId: e.conversationId,
          agentId: e.agentId,
          reason: RELEASE_TO[e.reason],
          wrapUpSeconds: e.wrapUpSeconds,
        }),
      };
    case 'ConversationDequeued':
      return { case: 'conversationDequeued', value: create(ConversationDequeuedSchema, { ...strip(e) }) };
    case 'ConversationEscalated':
      return {
        case: 'conversationEscalated',
        value: create(ConversationEscalatedSchema, {
          conversationId: e.conversationId,
          queueId: e.queueId,
          stepIndex: e.stepIndex,
          trigger: TRIGGER_TO[e.trigger],
          newQueueId: e.newQueueId,
          newPriority: e.newPriority,
          requiredSkills: e.requiredSkills.map(requirementToProto),
        }),
      };
    case 'ConversationTransferred':
      return {
        case: 'conversationTransferred',
        value: create(ConversationTransferredSchema, {
          conversationId: e.conversationId,
          fromAgentId: e.fromAgentId,
          target:
            'queueId' in e.target
              ? { case: 'queueId', value: e.target.queueId }
              : { case: 'agentId', value: e.target.agentId },
          note: e.note,
        }),
      };
    case 'AgentStateChanged':
      return {
        case: 'agentStateChanged',
        value: create(AgentStateChangedSchema, {
          agentId: e.agentId,
          presence: e.presence,
          skills: e.skills,
          capacity: e.capacity,
          totalCapacity: e.totalCapacity,
          ...(e.wrapUpUntil ? { wrapUpUntil: tsFromMs(e.wrapUpUntil) } : {}),
          reason: e.reason,
        }),
      };
    case 'RoutingConfigApplied':
      return {
        case: 'routingConfigApplied',
        value: create(RoutingConfigAppliedSchema, {
          version: BigInt(e.version),
          config: routingConfigToProto(e.config),
        }),
      };
    case 'RoutingConfigRejected':
      return {
        case: 'routingConfigRejected',
        value: create(RoutingConfigRejectedSchema, { version: BigInt(e.version), problems: e.problems }),
      };
  }
}

function strip<E extends RoutingEvent>(e: E): Omit<E, 'type' | 'eventId' | 'causationId' | 'at'> {
  const { type: _t, eventId: _e, causationId: _c, at: _a, ...rest } = e;
  return rest;
}

/** The envelope of a routing event, keyed like every routing event (aggregate: conversation or agent). */
export function eventToEnvelope(tenantId: string, e: RoutingEvent, source: string): Envelope {
  const payload = eventPayload(e);
  return newEnvelope({
    eventId: e.eventId,
    tenantId,
    aggregateId: 'conversationId' in e ? e.conversationId : 'agentId' in e ? e.agentId : tenantId,
    occurredAtMs: e.at,
    source,
    causationId: e.causationId,
    payload,
  });
}

/** A routing event back from its envelope (changelog replay); undefined for other payloads. */
export function eventFromEnvelope(env: Envelope): RoutingEvent | undefined {
  const meta = { eventId: env.eventId, causationId: env.causationId, at: msFromTs(env.occurredAt) };
  const p = env.payload;
  switch (p.case) {
    case 'conversationQueued': {
      const v = p.value;
      return {
        type: 'ConversationQueued',
        ...meta,
        conversationId: v.conversationId,
        queueId: v.queueId,
        priority: v.priority,
        requiredSkills: v.requiredSkills.map(requirementFromProto),
        channel: v.channel,
        customerId: v.customerId,
        customerTier: v.customerTier,
        reason: reasonFromProto(v.reason),
        atFront: v.atFront,
        waitingSince: msFromTs(v.waitingSince),
        preferredAgentId: v.preferredAgentId,
        escalationStepsApplied: v.escalationStepsApplied,
        queueEnteredAt: msFromTs(v.queueEnteredAt),
      };
    }
    case 'conversationOffered': {
      const v = p.value;
      return {
        type: 'ConversationOffered',
        ...meta,
        conversationId: v.conversationId,
        offerId: v.offerId,
        agentId: v.agentId,
        queueId: v.queueId,
        channel: v.channel,
        expiresAt: msFromTs(v.expiresAt),
        reason: reasonFromProto(v.reason),
      };
    }
    case 'offerExpired':
      return {
        type: 'OfferExpired',
        ...meta,
        conversationId: p.value.conversationId,
        offerId: p.value.offerId,
        agentId: p.value.agentId,
        consecutiveMissed: p.value.consecutiveMissed,
      };
    case 'offerDeclined':
      return {
        type: 'OfferDeclined',
        ...meta,
        conversationId: p.value.conversationId,
        offerId: p.value.offerId,
        agentId: p.value.agentId,
        reason: p.value.reason,
      };
    case 'conversationAssigned':
      return {
        type: 'ConversationAssigned',
        ...meta,
        conversationId: p.value.conversationId,
        offerId: p.value.offerId,
        agentId: p.value.agentId,
        queueId: p.value.queueId,
        channel: p.value.channel,
      };
    case 'conversationReleased':
      return {
        type: 'ConversationReleased',
        ...meta,
        conversationId: p.value.conversationId,
        agentId: p.value.agentId,
        reason: RELEASE_FROM[p.value.reason] ?? 'completed',
        wrapUpSeconds: p.value.wrapUpSeconds,
      };
    case 'conversationDequeued':
      return {
        type: 'ConversationDequeued',
        ...meta,
        conversationId: p.value.conversationId,
        queueId: p.value.queueId,
        reason: p.value.reason === 'resolved' ? 'resolved' : 'abandoned',
      };
    case 'conversationEscalated': {
      const v = p.value;
      return {
        type: 'ConversationEscalated',
        ...meta,
        conversationId: v.conversationId,
        queueId: v.queueId,
        stepIndex: v.stepIndex,
        trigger: TRIGGER_FROM[v.trigger] ?? 'wait_time',
        newQueueId: v.newQueueId,
        newPriority: v.newPriority,
        requiredSkills: v.requiredSkills.map(requirementFromProto),
      };
    }
    case 'conversationTransferred': {
      const t = p.value.target;
      return {
        type: 'ConversationTransferred',
        ...meta,
        conversationId: p.value.conversationId,
        fromAgentId: p.value.fromAgentId,
        target: t.case === 'agentId' ? { agentId: t.value } : { queueId: t.value ?? '' },
        note: p.value.note,
      };
    }
    case 'agentStateChanged': {
      const v = p.value;
      return {
        type: 'AgentStateChanged',
        ...meta,
        agentId: v.agentId,
        presence: v.presence,
        skills: v.skills.map((s) => ({ skill: s.skill, proficiency: s.proficiency })),
        capacity: v.capacity.map((c) => ({ channel: c.channel, capacity: c.capacity })),
        totalCapacity: v.totalCapacity,
        wrapUpUntil: msFromTs(v.wrapUpUntil),
        reason: v.reason as 'agent_command',
      };
    }
    case 'routingConfigApplied':
      return {
        type: 'RoutingConfigApplied',
        ...meta,
        version: Number(p.value.version),
        config: routingConfigFromProto(p.value.config ?? create(TenantConfigSchema)),
      };
    case 'routingConfigRejected':
      return {
        type: 'RoutingConfigRejected',
        ...meta,
        version: Number(p.value.version),
        problems: p.value.problems.map((x) => ({ path: x.path, message: x.message })),
      };
    default:
      return undefined;
  }
}
