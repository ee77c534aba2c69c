/**
 * The routing core: pure, in-memory, deterministic. `decide(state, command, now)` returns the
 * routing events of a command; `evolve`/`evolveAll` apply them. One state per tenant.
 */
export type { CommandOf, CommandType, RoutingCommand } from './commands';
export {
  type CompiledConfig,
  type Condition,
  type ConditionOperator,
  compileConfig,
  type EscalationStep,
  evaluateRules,
  initialConfig,
  type OfferSettings,
  type QueueConfig,
  type RoutingConfig,
  type RoutingRule,
} from './config';
export {
  requirementFromProto,
  requirementToProto,
  routingConfigFromProto,
  routingConfigToProto,
} from './config-proto';
export { decide, nextDeadline } from './decide';
export { commandFromEnvelope, eventFromEnvelope, eventPayload, eventToEnvelope } from './envelope-mapping';
export type {
  EscalationTrigger,
  EventOf,
  EventType,
  ReleaseReason,
  RoutingEvent,
  RoutingReason,
  SkipReason,
} from './events';
export type { ConversationStatus } from './model';
export {
  type AgentView,
  agentView,
  type ConversationView,
  conversationView,
  listQueueStats,
  type QueueStatsView,
  queueStats,
} from './queries';
export { fromSnapshot, SNAPSHOT_FORMAT, snapshotMessage, toSnapshot } from './snapshot';
export {
  CLOSED_RETENTION_MS,
  CUSTOMER_RETENTION_MS,
  createState,
  DEFAULT_IDEMPOTENCY_WINDOW,
  evolve,
  evolveAll,
  TenantRoutingState,
} from './state';
export * from './types';
export { type ConfigProblem, validateRoutingConfig } from './validate-config';

import type { RoutingCommand } from './commands';
import { decide } from './decide';
import type { RoutingEvent } from './events';
import { evolveAll, type TenantRoutingState } from './state';

/** Decides a command and applies its events to the state: what the routing owner does per input. */
export function handle(state: TenantRoutingState, command: RoutingCommand, now: number): RoutingEvent[] {
  const events = decide(state, command, now);
  evolveAll(state, events);
  return events;
}
