import {
  createLogger,
  runMain,
  serviceMeter,
  startTelemetry,
  stopOnSignals,
} from '@switchboard/observability';
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

  stopOnSignals({
    logger,
    stop: async () => {
      await app.stop();
      await telemetry.shutdown();
    },
  });
  await app.start();
}

runMain('sla-timer', main);
