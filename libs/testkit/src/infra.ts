import { InfraUnavailableError } from './errors';
import { startLocalKafka } from './kafka/local-kafka';
import { findRunningPostgres, freshDatabase, startLocalPostgres } from './postgres/local-postgres';

/** Where the test infrastructure is, and how to stop what was started for it. */
export interface Infra {
  kafkaBrokers: string;
  databaseUrl: string;
  /** How each part was obtained: env, testcontainers, local. */
  origin: { kafka: string; postgres: string };
  stop(): Promise<void>;
}

export interface ProvideOptions {
  kafka?: boolean;
  postgres?: boolean;
  log?: (line: string) => void;
  /** Environment to read KAFKA_BROKERS / DATABASE_URL from (defaults to process.env). */
  env?: Record<string, string | undefined>;
}

type Part = { value: string; origin: string; stop(): Promise<void> };

async function dockerAvailable(): Promise<boolean> {
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    await getContainerRuntimeClient();
    return true;
  } catch {
    return false;
  }
}

async function provideKafka(
  env: Record<string, string | undefined>,
  log: (l: string) => void,
): Promise<Part> {
  if (env.KAFKA_BROKERS) return { value: env.KAFKA_BROKERS, origin: 'env', stop: async () => {} };
  if (await dockerAvailable()) {
    const { KafkaContainer } = await import('@testcontainers/kafka');
    const container = await new KafkaContainer('confluentinc/cp-kafka:7.9.0')
      .withKraft()
      .withEnvironment({
        KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
        KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
        KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
      })
      .start();
    return {
      value: `${container.getHost()}:${container.getMappedPort(9093)}`,
      origin: 'testcontainers',
      stop: async () => void (await container.stop()),
    };
  }
  try {
    const kafka = await startLocalKafka({ log });
    return { value: kafka.brokers, origin: 'local', stop: () => kafka.destroy() };
  } catch (err) {
    if (err instanceof InfraUnavailableError) throw err;
    throw new InfraUnavailableError(
      'TESTKIT_ERR_NO_KAFKA',
      `Could not start a local Kafka broker: ${(err as Error).message}. Set KAFKA_BROKERS to an existing broker.`,
    );
  }
}

async function providePostgres(
  env: Record<string, string | undefined>,
  log: (l: string) => void,
): Promise<Part> {
  if (env.DATABASE_URL) {
    const db = await freshDatabase(env.DATABASE_URL);
    return { value: db.url, origin: 'env', stop: () => db.drop() };
  }
  if (await dockerAvailable()) {
    const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
    const container = await new PostgreSqlContainer('postgres:16-alpine').start();
    return {
      value: container.getConnectionUri(),
      origin: 'testcontainers',
      stop: async () => void (await container.stop()),
    };
  }
  const running = await findRunningPostgres();
  if (running) {
    const db = await freshDatabase(running);
    return { value: db.url, origin: 'local', stop: () => db.drop() };
  }
  const server = await startLocalPostgres(log);
  const db = await freshDatabase(server.url);
  return { value: db.url, origin: 'local', stop: async () => server.stop() };
}

/**
 * Real Kafka and PostgreSQL for a test run, in order of preference: KAFKA_BROKERS / DATABASE_URL from
 * the environment; testcontainers when a Docker engine is reachable; otherwise a local broker from
 * Maven jars and the machine's PostgreSQL (or a temp server from its binaries). Never silently skips:
 * throws InfraUnavailableError with the fix when nothing can be had. PostgreSQL always gets a fresh
 * database, so runs do not see each other.
 */
export async function provideInfra(options: ProvideOptions = {}): Promise<Infra> {
  const env = options.env ?? process.env;
  const log = options.log ?? (() => {});
  const wantKafka = options.kafka ?? true;
  const wantPostgres = options.postgres ?? true;
  const none: Part = { value: '', origin: 'none', stop: async () => {} };
  const [kafka, postgres] = await Promise.all([
    wantKafka ? provideKafka(env, log) : none,
    wantPostgres ? providePostgres(env, log) : none,
  ]);
  return {
    kafkaBrokers: kafka.value,
    databaseUrl: postgres.value,
    origin: { kafka: kafka.origin, postgres: postgres.origin },
    async stop() {
      await Promise.allSettled([kafka.stop(), postgres.stop()]);
    },
  };
}
