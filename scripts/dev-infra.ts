/**
 * Starts a local Kafka broker and a PostgreSQL database for development and keeps them running until
 * Ctrl-C: `pnpm dev:infra`. Prints the addresses to export. Data lives in temp folders and is removed
 * on exit.
 */
import { provideInfra } from '@switchboard/testkit';

async function main(): Promise<void> {
  const infra = await provideInfra({ env: {}, log: (l) => console.error(`[dev-infra] ${l}`) });
  console.log(`export KAFKA_BROKERS=${infra.kafkaBrokers}`);
  console.log(`export DATABASE_URL=${infra.databaseUrl}`);
  console.error('[dev-infra] running; Ctrl-C stops Kafka and drops the database');
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await infra.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  setInterval(() => {}, 1 << 30);
}

main().catch((err) => {
  console.error(`[dev-infra] ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
