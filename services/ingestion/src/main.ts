import { readFileSync } from 'node:fs';
import { httpTls } from '@switchboard/config';
import { DEFAULT_PARTITIONS, Topics } from '@switchboard/contracts';
import { createLogger, runMain, startTelemetry, stopOnSignals } from '@switchboard/observability';
import { loadIngestionConfig } from './config';

/**
 * Composition root: configuration, telemetry (first, so http is instrumented), logger, key ring,
 * Kafka producer, the app, and the signals that drain it.
 */
async function main(): Promise<void> {
  const config = loadIngestionConfig();
  const { env } = config;
  const telemetry = startTelemetry({
    serviceName: env.OTEL_SERVICE_NAME ?? 'ingestion',
    ...(env.OTEL_EXPORTER_OTLP_ENDPOINT ? { otlpEndpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT } : {}),
  });
  const logger = createLogger({ service: 'ingestion', level: env.LOG_LEVEL });
  // Loaded after telemetry so that the instrumented modules are patched.
  const { createKafka } = await import('@switchboard/kafka');
  const { buildApp } = await import('./app.js');
  const { KafkaEventSink } = await import('./adapters/kafka/kafka-event-sink.js');
  const { otelIngestionMetrics } = await import('./adapters/otel-metrics.js');
  const { loadKeyRing } = await import('./keys-source.js');
  const { keepConnected } = await import('./adapters/kafka/keep-connected.js');

  const keyRing = loadKeyRing(env);
  logger.info({ keys: keyRing.size }, 'API keys loaded');
  const kafka = createKafka(config.kafka, logger);
  if (env.INGESTION_CREATE_TOPIC) {
    const admin = kafka.admin();
    await admin.ensureTopics([{ topic: Topics.conversations, partitions: DEFAULT_PARTITIONS }]);
    await admin.disconnect();
  }
  const producer = kafka.producer({
    lingerMs: env.INGESTION_LINGER,
    requestTimeoutMs: env.INGESTION_KAFKA_REQUEST_TIMEOUT,
    // Our in-flight bound sheds load first; the producer's is the backstop.
    maxBufferedMessages: env.INGESTION_MAX_IN_FLIGHT_EVENTS * 2,
  });
  const connection = keepConnected(producer, logger);
  const sink = new KafkaEventSink(producer);
  const tls = httpTls(env);
  const app = await buildApp({
    keyRing,
    sink,
    metrics: otelIngestionMetrics(),
    metricsText: () => telemetry.metricsHandler(),
    now: Date.now,
    logger,
    tracing: env.INGESTION_HOOK_SPANS,
    ...(tls ? { https: { cert: readFileSync(tls.certFile), key: readFileSync(tls.keyFile) } } : {}),
    limits: {
      bodyLimitBytes: env.INGESTION_BODY_LIMIT_BYTES,
      publishTimeoutMs: env.INGESTION_PUBLISH_TIMEOUT,
      maxInFlightEvents: env.INGESTION_MAX_IN_FLIGHT_EVENTS,
      retryAfterSeconds: env.INGESTION_RETRY_AFTER_SECONDS,
      rateLimit: { max: env.INGESTION_RATE_LIMIT_MAX, windowMs: env.INGESTION_RATE_LIMIT_WINDOW },
    },
  });
  await app.listen({ host: env.HTTP_HOST, port: env.HTTP_PORT });

  stopOnSignals({
    logger,
    graceMs: env.INGESTION_SHUTDOWN_GRACE,
    // Stop accepting and finish in-flight requests, then flush the producer.
    stop: async () => {
      await app.close();
      connection.stop();
      await sink.close();
      await telemetry.shutdown();
      logger.info('stopped');
    },
  });
}

runMain('ingestion', main);
