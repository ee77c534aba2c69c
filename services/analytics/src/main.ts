// Composition root: config, telemetry, logger, clients, signals.
// biome-ignore-all assist/source/organizeImports: telemetry must be imported before what it instruments.
import { config, telemetry } from './telemetry';
import { readFileSync } from 'node:fs';
import { kafkaConnection, grpcTls } from '@switchboard/config';
import { createKafka } from '@switchboard/kafka';
import { createLogger, runMain, stopOnSignals } from '@switchboard/observability';
import { ensureProjectedTopics } from './adapters/kafka/topics';
import { migrate } from './adapters/pg/migrations';
import { rolePool } from './adapters/pg/pool';
import { buildAnalytics } from './app';
import { roleNames } from './config';
import { parseTokenEntries } from './domain/tokens';

async function main(): Promise<void> {
  const logger = createLogger({ service: 'analytics', level: config.LOG_LEVEL });
  const roles = roleNames(config.ANALYTICS_ROLE_PREFIX);
  if (config.ANALYTICS_MIGRATE_ON_START) {
    const applied = await migrate({
      databaseUrl: config.DATABASE_URL,
      schema: config.ANALYTICS_SCHEMA,
      roles,
      log: (msg: string) => logger.debug({ migration: msg }, 'migration'),
    });
    logger.info({ applied }, 'migrations applied');
  }
  const tokens = [
    ...parseTokenEntries(config.ANALYTICS_TOKENS ?? ''),
    ...parseTokenEntries(
      config.ANALYTICS_TOKENS_FILE ? readFileSync(config.ANALYTICS_TOKENS_FILE, 'utf8') : '',
    ),
  ];
  const onError = (err: Error) => logger.warn({ err }, 'idle PostgreSQL session failed; it will be replaced');
  const writerPool = rolePool(config.DATABASE_URL, roles.writer, { asyncCommit: true, onError });
  const readerPool = rolePool(config.DATABASE_URL, roles.analyst, { onError });
  const tls = grpcTls(config);
  const kafka = createKafka(kafkaConnection(config), logger);
  const created = await ensureProjectedTopics(kafka);
  if (created.length > 0) logger.info({ created }, 'kafka topics created');
  const app = buildAnalytics({
    logger,
    kafka,
    writerPool,
    readerPool,
    schema: config.ANALYTICS_SCHEMA,
    groupId: config.ANALYTICS_GROUP_ID,
    refreshMs: config.ANALYTICS_REFRESH_MS,
    kpiRefreshMs: config.ANALYTICS_KPI_REFRESH_MS,
    tokens,
    ...(tls ? { grpcTls: tls } : {}),
    metrics: () => telemetry.metricsHandler(),
  });

  await app.http.listen({ host: config.HTTP_HOST, port: config.HTTP_PORT });
  const grpcPort = await app.grpc.listen(config.GRPC_HOST, config.GRPC_PORT);
  await app.start();
  logger.info({ http: config.HTTP_PORT, grpc: grpcPort, tls: tls !== undefined }, 'analytics started');

  stopOnSignals({
    logger,
    stop: async () => {
      await app.stop();
      await app.grpc.shutdown(5000);
      await app.http.close();
      await writerPool.end();
      await readerPool.end();
      await telemetry.shutdown();
    },
  });
}

runMain('analytics', main);
