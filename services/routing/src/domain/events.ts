import type { RoutingConfig } from './config';
import type { Channel, ChannelCapacity, Millis, Presence, SkillLevel, SkillRequirement } from './types';
import type { ConfigProblem } from './validate-config';

/** Why a decision was taken (switchboard.routing.v1.RoutingReason). */
export interface RoutingReason {
  ruleId: string;
  candidatesConsidered: number;
  skipped: { agentId: string; reason: SkipReason }[];
  summary: string;
}

export type SkipReason =
  | 'no_capacity'
  | 'missing_skill'
  | 'already_declined'
  | 'not_available'
  | 'unknown_agent';

export type ReleaseReason = 'completed' | 'transferred' | 'agent_offline' | 'resolved' | 'abandoned';
export type EscalationTrigger = 'wait_time' | 'sla_warning' | 'sla_breach';

/** Fields every routing event has. Ids are derived from the causing input, never random. */
interface Meta {
  eventId: string;
  /** Event id of the input (or time-driven work item) that caused it. */
  causationId: string;
  /** When it was decided (the `now` of the decision). */
  at: Millis;
}

export type RoutingEvent =
  | (Meta & {
      type: 'ConversationQueued';
      conversationId: string;
      queueId: string;
      priority: number;
      requiredSkills: SkillRequirement[];
      channel: Channel;
      customerId: string;
      customerTier: string;
      reason: RoutingReason;
      atFront: boolean;
      waitingSince: Millis;
      preferredAgentId: string;
      escalationStepsApplied: number;
      queueEnteredAt: Millis;
    })
  | (Meta & {
      type: 'ConversationOffered';
      conversationId: string;
      offerId: string;
      agentId: string;
      queueId: string;
      channel: Channel;
      expiresAt: Millis;
      reason: RoutingReason;
    })
  | (Meta & {
      type: 'OfferExpired';
      conversationId: string;
      offerId: string;
      agentId: string;
      consecutiveMissed: number;
    })
  | (Meta & {
      type: 'OfferDeclined';
      conversationId: string;
      offerId: string;
      agentId: string;
      reason: string;
    })
  | (Meta & {
      type: 'ConversationAssigned';
      conversationId: string;
      offerId: string;
      agentId: string;
      queueId: string;
      channel: Channel;
    })
  | (Meta & {
      type: 'ConversationReleased';
      conversationId: string;
      agentId: string;
      reason: ReleaseReason;
      wrapUpSeconds: number;
    })
  | (Meta & {
      type: 'ConversationDequeued';
      conversationId: string;
      queueId: string;
      reason: 'abandoned' | 'resolved';
    })
  | (Meta & {
      type: 'ConversationEscalated';
      conversationId: string;
      queueId: string;
      stepIndex: number;
      trigger: EscalationTrigger;
      newQueueId: string;
      newPriority: number;
      requiredSkills: SkillRequirement[];
    })
  | (Meta & {
      type: 'ConversationTransferred';
      conversationId: string;
      fromAgentId: string;
      target: { queueId: string } | { agentId: string };
      note: string;
    })
  | (Meta & {
      type: 'AgentStateChanged';
      agentId: string;
      presence: Presence;
      skills: SkillLevel[];
      capacity: ChannelCapacity[];
      totalCapacity: number;
      /** 0 unless presence is wrap-up. */
      wrapUpUntil: Millis;
      reason: 'agent_command' | 'missed_offers' | 'wrap_up' | 'wrap_up_ended';
    })
  | (Meta & { type: 'RoutingConfigApplied'; version: number; config: RoutingConfig })
  | (Meta & { type: 'RoutingConfigRejected'; version: number; problems: ConfigProblem[] });

export type EventType = RoutingEvent['type'];
export type EventOf<T extends EventType> = Extract<RoutingEvent, { type: T }>;
/** An event before the decider stamps its id, causation and time. */
export type DraftEvent = RoutingEvent extends infer E
  ? E extends RoutingEvent
    ? Omit<E, keyof Meta>
    : never
  : never;
