/**
 * Runs a command with real Kafka and PostgreSQL: `tsx scripts/with-infra.ts -- <command...>`.
 * Uses KAFKA_BROKERS / DATABASE_URL when set, else starts them (see libs/testkit), exports both to the
 * command, and stops what it started when the command ends. Exit code is the command's.
 */
import { spawn } from 'node:child_process';
import { provideInfra } from '@switchboard/testkit';

async function main(): Promise<number> {
  const sep = process.argv.indexOf('--');
  const command = sep >= 0 ? process.argv.slice(sep + 1) : process.argv.slice(2);
  if (command.length === 0) {
    console.error('usage: with-infra -- <command> [args...]');
    return 2;
  }
  const started = Date.now();
  const infra = await provideInfra({ postgres: true, log: (l) => console.error(`[with-infra] ${l}`) });
  console.error(
    `[with-infra] kafka=${infra.kafkaBrokers} (${infra.origin.kafka}) postgres=${infra.databaseUrl} (${infra.origin.postgres}) ready in ${Date.now() - started} ms`,
  );
  const stopAll = () => infra.stop();
  try {
    return await new Promise<number>((resolve) => {
      const child = spawn(command[0]!, command.slice(1), {
        stdio: 'inherit',
        env: { ...process.env, KAFKA_BROKERS: infra.kafkaBrokers, DATABASE_URL: infra.databaseUrl },
      });
      for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
      child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    });
  } finally {
    await stopAll();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`[with-infra] ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
