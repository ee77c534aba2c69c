import {
  createLogger,
  runMain,
  serviceMeter,
  startTelemetry,
  stopOnSignals,
} from '@switchboard/observability';
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

  stopOnSignals({
    logger,
    stop: async () => {
      await app.stop();
      await telemetry.shutdown();
    },
  });
  await app.start();
}

runMain('routing', main);
