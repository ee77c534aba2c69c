import {
  env,
  httpEnv,
  type KafkaConnection,
  kafkaConnection,
  kafkaEnv,
  loadConfig,
  logEnv,
  secret,
  telemetryEnv,
  z,
} from '@switchboard/config';

/** Every variable ingestion reads; `pnpm --filter @switchboard/config` renders the reference from these. */
export const ingestionEnv = z.object({
  ...kafkaEnv.shape,
  ...logEnv.shape,
  ...telemetryEnv.shape,
  ...httpEnv.shape,
  INGESTION_API_KEYS_FILE: env
    .string()
    .optional()
    .describe(
      'Path of the API keys file (YAML or JSON list of {id, name, tenantId, channels, sha256, rateLimit?})',
    ),
  INGESTION_API_KEYS: secret(env.string().optional()).describe(
    'The API keys document itself (same format), e.g. from a Kubernetes Secret; used when no file is given',
  ),
  INGESTION_BODY_LIMIT_BYTES: env.int({ min: 1024 }).default(1_048_576).describe('Largest request body'),
  INGESTION_PUBLISH_TIMEOUT: env
    .durationMs()
    .default(4000)
    .describe('Longest wait for Kafka acknowledgement before answering 503'),
  INGESTION_KAFKA_REQUEST_TIMEOUT: env
    .durationMs()
    .default(3000)
    .describe('Producer deadline for one produce request (keep below INGESTION_PUBLISH_TIMEOUT)'),
  INGESTION_LINGER: env.durationMs().default(2).describe('How long the producer waits to coalesce requests'),
  INGESTION_MAX_IN_FLIGHT_EVENTS: env
    .int({ min: 1 })
    .default(20_000)
    .describe('Events waiting for Kafka at once; beyond it requests are shed with 503'),
  INGESTION_RETRY_AFTER_SECONDS: env.int({ min: 1 }).default(2).describe('Retry-After sent with 503'),
  INGESTION_RATE_LIMIT_MAX: env
    .int({ min: 1 })
    .default(20_000)
    .describe('Requests per key per window, unless the key sets its own rateLimit'),
  INGESTION_RATE_LIMIT_WINDOW: env.durationMs().default(1000).describe('Rate limit window'),
  INGESTION_CREATE_TOPIC: env
    .bool()
    .default(false)
    .describe('Create the conversations topic at start when missing (development, benchmarks)'),
  INGESTION_HOOK_SPANS: env
    .bool()
    .default(false)
    .describe('A span per fastify hook (@fastify/otel), to find slow hooks; costs throughput'),
  INGESTION_SHUTDOWN_GRACE: env
    .durationMs()
    .default(10_000)
    .describe('Longest drain of in-flight requests on SIGTERM before exiting'),
});

export type IngestionEnv = z.output<typeof ingestionEnv>;

export interface IngestionConfig {
  env: IngestionEnv;
  kafka: KafkaConnection;
}

/** Parses and freezes the configuration once; throws ConfigError naming every bad variable. */
export function loadIngestionConfig(source?: Record<string, string | undefined>): Readonly<IngestionConfig> {
  const parsed = loadConfig(ingestionEnv, source);
  if (parsed.INGESTION_API_KEYS_FILE === undefined && parsed.INGESTION_API_KEYS === undefined) {
    throw new Error('ING_ERR_CONFIG: set INGESTION_API_KEYS_FILE or INGESTION_API_KEYS');
  }
  return Object.freeze({ env: parsed, kafka: kafkaConnection(parsed) });
}
