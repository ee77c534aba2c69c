import { createLogger, serviceMeter, startTelemetry } from '@switchboard/observability';
import { loadSlaConfig } from './config';

/** Composition root: config, telemetry (before http loads), Kafka, the app, signals. */
async function main(): Promise<void> {
  const config = loadSlaConfig();
  const logger = createLogger({ service: 'sla-timer', level: config.env.LOG_LEVEL });
  const telemetry = startTelemetry({
    serviceName: config.env.OTEL_SERVICE_NAME ?? 'sla-timer',
    ...(config.env.OTEL_EXPORTER_OTLP_ENDPOINT
      ? { otlpEndpoint: config.env.OTEL_EXPORTER_OTLP_ENDPOINT }
      : {}),
  });
  // Loaded after telemetry so that http and kafka are instrumented.
  const { createKafka } = await import('@switchboard/kafka');
  const { buildSlaApp } = await import('./app.js');

  const kafka = createKafka(config.kafka, logger);
  const app = buildSlaApp({
    config,
    logger,
    kafka,
    meter: serviceMeter('sla-timer'),
    metricsHandler: () => telemetry.metricsHandler(),
  });

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    app
      .stop()
      .then(() => telemetry.shutdown())
      .then(
        () => process.exit(0),
        (err: unknown) => {
          logger.error({ err }, 'shutdown failed');
          process.exit(1);
        },
      );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  await app.start();
}

main().catch((err: unknown) => {
  process.stderr.write(`sla-timer failed to start: ${(err as Error)?.stack ?? err}\n`);
  process.exit(1);
});
