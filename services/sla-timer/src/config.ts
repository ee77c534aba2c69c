import {
  env,
  httpEnv,
  type KafkaConnection,
  kafkaConnection,
  kafkaEnv,
  loadConfig,
  logEnv,
  telemetryEnv,
  z,
} from '@switchboard/config';
import { DEFAULT_PARTITIONS, Topics } from '@switchboard/contracts';

/** Every variable the sla-timer reads. */
export const slaEnv = z.object({
  ...kafkaEnv.shape,
  ...logEnv.shape,
  ...telemetryEnv.shape,
  ...httpEnv.shape,
  SLA_TICK_MS: env
    .int({ min: 1 })
    .default(100)
    .describe(
      'Period of the process-level tick (it also wakes at the earliest deadline, at most every 10 ms)',
    ),
  SLA_SNAPSHOT_EVERY_EVENTS: env
    .int({ min: 1 })
    .default(50_000)
    .describe('Snapshot a partition after this many SLA events and inputs'),
  SLA_SNAPSHOT_INTERVAL: env
    .durationMs()
    .default(60_000)
    .describe('Snapshot a partition that changed at least this often'),
  SLA_TOPIC_PREFIX: env
    .string()
    .optional()
    .describe('Prepended to every topic name (tests and benchmarks use private topics)'),
  SLA_PARTITIONS: env
    .int({ min: 1 })
    .default(DEFAULT_PARTITIONS)
    .describe('Partitions of the tenant-keyed topics (created with this count when missing)'),
  SLA_GROUP_ID: env.string().default('sla-timer').describe('Consumer group (and transactional id prefix)'),
  SLA_SESSION_TIMEOUT: env
    .durationMs()
    .default(10_000)
    .describe('Consumer-group session timeout: how fast a dead owner loses its partitions'),
});

export type SlaEnv = z.output<typeof slaEnv>;

/** Topic names, with the optional prefix. */
export interface SlaTopics {
  conversations: string;
  routing: string;
  config: string;
  ticks: string;
  sla: string;
  snapshots: string;
  deadLetter: string;
}

export function slaTopics(prefix = ''): SlaTopics {
  return {
    conversations: prefix + Topics.conversations,
    routing: prefix + Topics.routing,
    config: prefix + Topics.config,
    ticks: prefix + Topics.slaTicks,
    sla: prefix + Topics.sla,
    snapshots: prefix + Topics.slaSnapshots,
    deadLetter: prefix + Topics.deadLetter,
  };
}

export interface SlaConfig {
  env: SlaEnv;
  kafka: KafkaConnection;
  topics: SlaTopics;
}

/** Parses and freezes the configuration once; throws ConfigError naming every bad variable. */
export function loadSlaConfig(source?: Record<string, string | undefined>): Readonly<SlaConfig> {
  const parsed = loadConfig(slaEnv, source);
  return Object.freeze({
    env: parsed,
    kafka: kafkaConnection(parsed),
    topics: Object.freeze(slaTopics(parsed.SLA_TOPIC_PREFIX ?? '')),
  });
}
