import { createLogger, serviceMeter, startTelemetry } from '@switchboard/observability';
import { loadRoutingConfig } from './config';

/** Composition root: config, telemetry (before grpc/http load), Kafka, the app, signals. */
async function main(): Promise<void> {
  const config = loadRoutingConfig();
  const logger = createLogger({ service: 'routing', level: config.env.LOG_LEVEL });
  const telemetry = startTelemetry({
    serviceName: config.env.OTEL_SERVICE_NAME ?? 'routing',
    ...(config.env.OTEL_EXPORTER_OTLP_ENDPOINT
      ? { otlpEndpoint: config.env.OTEL_EXPORTER_OTLP_ENDPOINT }
      : {}),
  });
  // Loaded after telemetry so that grpc-js and http are instrumented.
  const { createKafka } = await import('@switchboard/kafka');
  const { loadTokens } = await import('./adapters/grpc/agent-tokens.js');
  const { buildRoutingApp } = await import('./app.js');

  const tokens = loadTokens({ file: config.env.ROUTING_TOKENS_FILE, inline: config.env.ROUTING_TOKENS });
  const kafka = createKafka(config.kafka, logger);
  const app = buildRoutingApp({
    config,
    logger,
    kafka,
    tokens,
    meter: serviceMeter('routing'),
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
  process.stderr.write(`routing failed to start: ${(err as Error)?.stack ?? err}\n`);
  process.exit(1);
});
