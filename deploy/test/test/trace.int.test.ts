// One conversation event, one trace: the adapter's HTTP request into ingestion, through the real broker,
// into the routing owner's transaction and the routing events it writes. Both services run in this
// process with the OpenTelemetry SDK and an in-memory exporter (registered before they are loaded).
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import type { EnvelopeProducer, SwitchboardKafka } from '@switchboard/kafka';
import { requireEnv, uniqueSuffix } from '@switchboard/testkit';
import type { FastifyInstance } from 'fastify';
import { kafkaClient, logger } from './support';

const exporter = new InMemorySpanExporter();
const sdk = new NodeSDK({
  serviceName: 'switchboard-trace-test',
  spanProcessors: [new SimpleSpanProcessor({ exporter })],
  textMapPropagator: new W3CTraceContextPropagator(),
  instrumentations: [],
  metricReaders: [],
});
sdk.start();

const TENANT = 'trace-tenant';
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

describe('a trace across ingestion, Kafka and routing', () => {
  let kafka: SwitchboardKafka;
  let producer: EnvelopeProducer;
  let ingestion: FastifyInstance;
  let routing: { start(): Promise<unknown>; stop(): Promise<void> };
  let topics: { conversations: string; routing: string; config: string };
  let apiKey: string;

  beforeAll(async () => {
    const { loadRoutingConfig } = await import('@switchboard/routing/config');
    const { buildRoutingApp } = await import('@switchboard/routing/app');
    const { configApplied } = await import('@switchboard/routing/service/testing');
    const { config } = await import('@switchboard/routing/domain/testing/harness');
    const { buildApp } = await import('@switchboard/ingestion/app');
    const { KafkaEventSink } = await import('@switchboard/ingestion/adapters/kafka/kafka-event-sink');
    const { otelIngestionMetrics } = await import('@switchboard/ingestion/adapters/otel-metrics');
    const { generateKey, KeyRing } = await import('@switchboard/ingestion/auth/api-key');

    kafka = kafkaClient();
    const routingConfig = loadRoutingConfig({
      KAFKA_BROKERS: requireEnv('KAFKA_BROKERS'),
      LOG_LEVEL: 'warn',
      ROUTING_TOPIC_SUFFIX: `.trace-${uniqueSuffix()}`,
      ROUTING_PARTITIONS: '2',
      ROUTING_CREATE_TOPICS: 'true',
      ROUTING_GROUP_ID: `routing-trace-${uniqueSuffix()}`,
      ROUTING_TOKENS: '[]',
      ROUTING_RECOVERY_IDLE: '300',
      ROUTING_SESSION_TIMEOUT: '6000',
      GRPC_HOST: '127.0.0.1',
      GRPC_PORT: '0',
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: '0',
    });
    topics = routingConfig.topics;
    routing = buildRoutingApp({ config: routingConfig, logger, kafka, tokens: [] });
    await routing.start();

    producer = kafka.producer();
    await producer.connect();
    // The tenant's configuration, as the admin CLI publishes it (untraced: not part of the event's trace).
    await producer.send(topics.config, [configApplied(TENANT, 1, config({}))]);

    const { key, entry } = generateKey({ name: 'trace-chat', tenantId: TENANT, channels: ['chat'] });
    apiKey = key;
    ingestion = await buildApp({
      keyRing: new KeyRing([entry]),
      sink: new KafkaEventSink(producer, topics.conversations),
      metrics: otelIngestionMetrics(),
      metricsText: async () => ({ contentType: 'text/plain', body: '' }),
      now: Date.now,
      logger,
      tracing: true,
      limits: {
        bodyLimitBytes: 1_048_576,
        publishTimeoutMs: 10_000,
        maxInFlightEvents: 1000,
        retryAfterSeconds: 1,
        rateLimit: { max: 1000, windowMs: 1000 },
      },
    });
  });

  afterAll(async () => {
    await ingestion?.close();
    await routing?.stop();
    await producer?.disconnect();
    if (topics) {
      const admin = kafka.admin();
      await admin.deleteTopics(Object.values(topics)).catch(() => undefined);
      await admin.disconnect();
    }
    await sdk.shutdown();
  });

  it('continues the adapter trace from the HTTP request to the routing events of the conversation', async () => {
    const res = await ingestion.inject({
      method: 'POST',
      url: '/v1/events',
      headers: {
        authorization: `Bearer ${apiKey}`,
        'content-type': 'application/json',
        traceparent: `00-${TRACE_ID}-00f067aa0ba902b7-01`,
      },
      payload: JSON.stringify({
        id: 'trace-ev-1',
        type: 'conversation.started',
        conversationId: 'trace-conv-1',
        occurredAt: new Date().toISOString(),
        channel: 'chat',
        customer: { id: 'trace-cust-1' },
      }),
    });
    expect(res.statusCode).toBe(202);

    const inTrace = () => exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === TRACE_ID);
    const named = (name: string) => inTrace().find((s) => s.name === name);
    const consumed = `process ${topics.conversations}`;
    const deadline = Date.now() + 60_000;
    while (!named(consumed) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));

    // ingestion: request span → `send` span (PRODUCER); routing: `process` span (CONSUMER) across the broker.
    const send = named(`send ${topics.conversations}`);
    const process = named(consumed);
    expect({ send: send?.name, process: process?.name, spans: inTrace().map((s) => s.name) }).toEqual({
      send: `send ${topics.conversations}`,
      process: consumed,
      spans: expect.any(Array),
    });
    const parentOf = (s: ReadableSpan) => s.parentSpanContext?.spanId;
    const request = inTrace().find((s) => s.spanContext().spanId === parentOf(send!));
    expect(request).toBeDefined();
    const root = (s: ReadableSpan): ReadableSpan => {
      const parent = inTrace().find((p) => p.spanContext().spanId === parentOf(s));
      return parent ? root(parent) : s;
    };
    expect(parentOf(root(request!))).toBe('00f067aa0ba902b7');
    expect(parentOf(process!)).toBe(send!.spanContext().spanId);

    // routing's transaction writes the conversation's routing events with the consumer span as their parent.
    const traceparents: string[] = [];
    while (traceparents.length === 0 && Date.now() < deadline) {
      await kafka.readToEnd({
        topic: topics.routing,
        onBatch: (batch) => {
          for (const c of batch)
            if (c.envelope.aggregateId === 'trace-conv-1') traceparents.push(c.headers.traceparent ?? '');
        },
      });
      if (traceparents.length === 0) await new Promise((r) => setTimeout(r, 300));
    }
    expect(traceparents.length).toBeGreaterThan(0);
    for (const tp of traceparents) expect(tp).toBe(`00-${TRACE_ID}-${process!.spanContext().spanId}-01`);
  });
});
