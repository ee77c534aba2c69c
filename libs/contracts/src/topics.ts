/**
 * Every Kafka topic of Switchboard (documented in docs/topics.md). Every message is an Envelope keyed
 * by tenant id, except the dead-letter topic, which keeps the original bytes.
 */
export const Topics = {
  /** Conversation events from adapters, produced by ingestion. */
  conversations: 'switchboard.conversations.v1',
  /** Agent commands, produced by the routing gRPC edge. */
  agentCommands: 'switchboard.agent-commands.v1',
  /** Routing decisions: the routing owner's changelog. */
  routing: 'switchboard.routing.v1',
  /** SLA clocks: the sla-timer's changelog. */
  sla: 'switchboard.sla.v1',
  /** Tenant configuration, compacted (latest config per tenant). */
  config: 'switchboard.config.v1',
  /** Routing owner snapshots, compacted (key: input partition). */
  routingSnapshots: 'switchboard.routing-snapshots.v1',
  /** sla-timer's own tick commands (key: a tenant of the partition the tick is for). */
  slaTicks: 'switchboard.sla-ticks.v1',
  /** sla-timer snapshots, compacted (key: input partition). */
  slaSnapshots: 'switchboard.sla-snapshots.v1',
  /** Messages no consumer could decode or accept, with the reason in headers. */
  deadLetter: 'switchboard.dead-letter.v1',
} as const;

export type TopicName = (typeof Topics)[keyof typeof Topics];

/** Partitions of the tenant-keyed topics; inputs and outputs of a processor must match. */
export const DEFAULT_PARTITIONS = 12;

/** Current schema version written into every envelope. */
export const SCHEMA_VERSION = 1;
