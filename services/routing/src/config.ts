import {
  env,
  grpcEnv,
  grpcTls,
  httpEnv,
  type KafkaConnection,
  kafkaConnection,
  kafkaEnv,
  type ListenerTls,
  loadConfig,
  logEnv,
  secret,
  telemetryEnv,
  z,
} from '@switchboard/config';
import { DEFAULT_PARTITIONS, Topics } from '@switchboard/contracts';

/** Every variable the routing service reads. */
export const routingEnv = z.object({
  ...kafkaEnv.shape,
  ...logEnv.shape,
  ...telemetryEnv.shape,
  ...httpEnv.shape,
  ...grpcEnv.shape,
  ROUTING_TOKENS_FILE: env
    .string()
    .optional()
    .describe('Path of the agent tokens file (JSON list of {id, tenantId, agentId?, sha256})'),
  ROUTING_TOKENS: secret(env.string().optional()).describe(
    'The agent tokens document itself (same format), e.g. from a Kubernetes Secret; used when no file is given',
  ),
  ROUTING_TOPIC_SUFFIX: env
    .string()
    .optional()
    .describe('Appended to every topic name (tests and benchmarks use private topics)'),
  ROUTING_PARTITIONS: env
    .int({ min: 1 })
    .default(DEFAULT_PARTITIONS)
    .describe('Partitions of the tenant-keyed topics (created with this count when missing)'),
  ROUTING_CREATE_TOPICS: env.bool().default(false).describe('Create missing topics at start (development)'),
  ROUTING_GROUP_ID: env
    .string()
    .default('routing')
    .describe('Consumer group (and transactional id prefix) of the owners'),
  ROUTING_SNAPSHOT_EVERY_EVENTS: env
    .int({ min: 1 })
    .default(50_000)
    .describe('Snapshot a partition after this many routing events'),
  ROUTING_SNAPSHOT_INTERVAL: env
    .durationMs()
    .default(60_000)
    .describe('Snapshot a partition that changed at least this often'),
  ROUTING_TICK_INTERVAL: env
    .durationMs()
    .default(200)
    .describe('Period of the process-level tick that fires offer timeouts, wrap-up ends and escalations'),
  ROUTING_RECOVERY_IDLE: env
    .durationMs()
    .default(750)
    .describe('Quiet time after which the snapshot topic read counts as caught up'),
  ROUTING_TRANSACTION_TIMEOUT: env
    .durationMs()
    .default(10_000)
    .describe("The broker aborts a dead owner's open transaction after this (a recovery may wait for it)"),
  ROUTING_SESSION_TIMEOUT: env
    .durationMs()
    .default(10_000)
    .describe('Consumer-group session timeout: how fast a dead owner loses its partitions'),
  ROUTING_SHUTDOWN_GRACE: env.durationMs().default(10_000).describe('Longest gRPC drain on SIGTERM'),
});

export type RoutingEnv = z.output<typeof routingEnv>;

/** Topic names, with the optional suffix. */
export interface RoutingTopics {
  conversations: string;
  agentCommands: string;
  routing: string;
  sla: string;
  config: string;
  snapshots: string;
  deadLetter: string;
}

export interface RoutingConfig {
  env: RoutingEnv;
  kafka: KafkaConnection;
  topics: RoutingTopics;
  grpcTls: ListenerTls | undefined;
}

export function routingTopics(suffix = ''): RoutingTopics {
  return {
    conversations: Topics.conversations + suffix,
    agentCommands: Topics.agentCommands + suffix,
    routing: Topics.routing + suffix,
    sla: Topics.sla + suffix,
    config: Topics.config + suffix,
    snapshots: Topics.routingSnapshots + suffix,
    deadLetter: Topics.deadLetter + suffix,
  };
}

/** Parses and freezes the configuration once; throws ConfigError naming every bad variable. */
export function loadRoutingConfig(source?: Record<string, string | undefined>): Readonly<RoutingConfig> {
  const parsed = loadConfig(routingEnv, source);
  if (parsed.ROUTING_TOKENS_FILE === undefined && parsed.ROUTING_TOKENS === undefined) {
    throw new Error('RTG_ERR_CONFIG: set ROUTING_TOKENS_FILE or ROUTING_TOKENS');
  }
  return Object.freeze({
    env: parsed,
    kafka: kafkaConnection(parsed),
    topics: Object.freeze(routingTopics(parsed.ROUTING_TOPIC_SUFFIX ?? '')),
    grpcTls: grpcTls(parsed),
  });
}
