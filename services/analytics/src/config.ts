import {
  env,
  grpcEnv,
  httpEnv,
  kafkaEnv,
  loadConfig,
  logEnv,
  postgresEnv,
  telemetryEnv,
  z,
} from '@switchboard/config';

/** Every variable the analytics service reads (docs/read-models.md, "Running"). */
export const analyticsEnv = z.object({
  ...kafkaEnv.shape,
  ...logEnv.shape,
  ...telemetryEnv.shape,
  ...postgresEnv.shape,
  ...httpEnv.shape,
  ...grpcEnv.shape,
  ANALYTICS_SCHEMA: env.string().default('analytics').describe('Schema of the read models'),
  ANALYTICS_GROUP_ID: env
    .string()
    .default('switchboard-analytics')
    .describe('Kafka consumer group of the projector'),
  ANALYTICS_ROLE_PREFIX: env
    .string()
    .default('')
    .describe('Prefix of the writer and analyst role names (roles are cluster-wide)'),
  ANALYTICS_MIGRATE_ON_START: env.bool().default(true).describe('Apply pending migrations before consuming'),
  ANALYTICS_REFRESH_MS: env
    .int()
    .default(200)
    .describe(
      'How often the rows of conversations, assignments and agents touched by new events are recomputed',
    ),
  ANALYTICS_KPI_REFRESH_MS: env
    .int()
    .default(1000)
    .describe('How often dirty 15-minute KPI intervals are recomputed'),
  ANALYTICS_TOKENS: env
    .string()
    .optional()
    .describe('KpiService bearer tokens: comma separated tenant:sha256-hex-of-token pairs'),
  ANALYTICS_TOKENS_FILE: env
    .string()
    .optional()
    .describe('File of KpiService tokens, one tenant:sha256-hex-of-token per line'),
});

export type AnalyticsConfig = Readonly<z.output<typeof analyticsEnv>>;

export function loadAnalyticsConfig(source?: Record<string, string | undefined>): AnalyticsConfig {
  return loadConfig(analyticsEnv, source);
}

/** The role names for a prefix: `<prefix>analytics_writer` and `<prefix>analyst`. */
export function roleNames(prefix: string): { writer: string; analyst: string } {
  return { writer: `${prefix}analytics_writer`, analyst: `${prefix}analyst` };
}
