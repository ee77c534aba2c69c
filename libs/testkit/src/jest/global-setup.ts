import { type Infra, provideInfra } from '../infra';

declare global {
  // eslint-disable-next-line no-var
  var __switchboardInfra: Infra | undefined;
}

/**
 * Jest global setup for integration tests: provides a real Kafka broker and a fresh PostgreSQL
 * database and exports them as KAFKA_BROKERS / DATABASE_URL to the test workers.
 */
export default async function globalSetup(): Promise<void> {
  const started = Date.now();
  const infra = await provideInfra({ log: (line) => process.stderr.write(`[testkit] ${line}\n`) });
  globalThis.__switchboardInfra = infra;
  process.env.KAFKA_BROKERS = infra.kafkaBrokers;
  process.env.DATABASE_URL = infra.databaseUrl;
  process.stderr.write(
    `[testkit] kafka=${infra.kafkaBrokers} (${infra.origin.kafka}) postgres=${infra.databaseUrl} (${infra.origin.postgres}) in ${Date.now() - started} ms\n`,
  );
}
