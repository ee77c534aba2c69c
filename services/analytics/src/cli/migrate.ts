// `pnpm --filter @switchboard/analytics migrate`: creates the roles and applies pending migrations.
import { createLogger } from '@switchboard/observability';
import { migrate } from '../adapters/pg/migrations';
import { loadAnalyticsConfig, roleNames } from '../config';

async function main(): Promise<void> {
  const config = loadAnalyticsConfig();
  const logger = createLogger({ service: 'analytics-migrate', level: config.LOG_LEVEL });
  const applied = await migrate({
    databaseUrl: config.DATABASE_URL,
    schema: config.ANALYTICS_SCHEMA,
    roles: roleNames(config.ANALYTICS_ROLE_PREFIX),
    log: (msg) => logger.debug({ migration: msg }, 'migration'),
  });
  logger.info(
    { schema: config.ANALYTICS_SCHEMA, applied },
    applied.length ? 'migrations applied' : 'schema up to date',
  );
}

main().catch((err) => {
  process.stderr.write(`migrate failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
