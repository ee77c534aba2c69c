import { context, propagation, SpanKind, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import type { ConsumedEnvelope } from '../src';
import { conversationStarted, freshTopic, kafkaClient, waitUntil } from './helpers';

const exporter = new InMemorySpanExporter();
const contextManager = new AsyncLocalStorageContextManager().enable();

beforeAll(() => {
  trace.setGlobalTracerProvider(
    new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] }),
  );
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  context.setGlobalContextManager(contextManager);
});

afterAll(() => {
  trace.disable();
  propagation.disable();
  context.disable();
});

describe('envelope producer and consumer against a real broker', () => {
  const kafka = kafkaClient();
  const admin = kafka.admin();
  const topic = freshTopic('round-trip');

  beforeAll(async () => {
    expect(await admin.ensureTopics([{ topic, partitions: 3 }])).toEqual([topic]);
    // Idempotent: a second call creates nothing and does not fail.
    expect(await admin.ensureTopics([{ topic, partitions: 3 }])).toEqual([]);
  });

  afterAll(async () => {
    await admin.deleteTopics([topic]);
    await admin.disconnect();
  });

  it('delivers an envelope keyed by tenant with its headers, under a consumer span whose parent is the producer span', async () => {
    const received: ConsumedEnvelope[] = [];
    let handlerSpanId: string | undefined;
    const consumer = kafka.consumer({ groupId: `g-${topic}`, topics: [topic], fromBeginning: true });
    await consumer.run(async (batch) => {
      handlerSpanId = trace.getActiveSpan()?.spanContext().spanId;
      received.push(...batch);
    });

    const producer = kafka.producer();
    await producer.connect();
    expect(producer.isConnected()).toBe(true);
    const envelope = conversationStarted('evt-trace-1', 'tenant-acme');
    await producer.send(topic, [envelope], { 'x-request-id': 'req-42' });

    await waitUntil('the envelope', () => received.length === 1, 30_000);
    await consumer.stop();
    await producer.disconnect();

    const [got] = received;
    expect(got!.key).toBe('tenant-acme');
    expect(got!.envelope.eventId).toBe('evt-trace-1');
    expect(got!.envelope.tenantId).toBe('tenant-acme');
    expect(got!.headers['x-request-id']).toBe('req-42');
    expect(got!.headers.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);

    const spans = exporter.getFinishedSpans();
    const send = spans.find((s) => s.name === `send ${topic}`);
    const processSpan = spans.find((s) => s.name === `process ${topic}`);
    expect(send?.kind).toBe(SpanKind.PRODUCER);
    expect(processSpan?.kind).toBe(SpanKind.CONSUMER);
    expect(processSpan!.parentSpanContext?.spanId).toBe(send!.spanContext().spanId);
    expect(processSpan!.spanContext().traceId).toBe(send!.spanContext().traceId);
    expect(got!.headers.traceparent).toContain(send!.spanContext().spanId);
    // The handler ran inside the consumer span.
    expect(handlerSpanId).toBe(processSpan!.spanContext().spanId);
  });

  it('coalesces many concurrent sends and delivers every envelope once', async () => {
    const received: ConsumedEnvelope[] = [];
    const consumer = kafka.consumer({ groupId: `g2-${topic}`, topics: [topic], fromBeginning: true });
    await consumer.run(async (batch) => {
      received.push(...batch);
    });
    const producer = kafka.producer({ lingerMs: 5, maxBatchMessages: 200 });
    const calls = Array.from({ length: 500 }, (_, i) =>
      producer.send(topic, [conversationStarted(`bulk-${i}`, `tenant-${i % 7}`)]),
    );
    await Promise.all(calls);
    await waitUntil(
      '500 envelopes',
      () => received.filter((r) => r.envelope.eventId.startsWith('bulk-')).length >= 500,
      30_000,
    );
    await consumer.stop();
    await producer.disconnect();
    const ids = received.map((r) => r.envelope.eventId).filter((id) => id.startsWith('bulk-'));
    expect(new Set(ids).size).toBe(500);
    expect(ids).toHaveLength(500);
    // Same tenant, same partition (key = tenant id).
    const partitionsByTenant = new Map<string, Set<number>>();
    for (const r of received) {
      const set = partitionsByTenant.get(r.key) ?? new Set<number>();
      set.add(r.partition);
      partitionsByTenant.set(r.key, set);
    }
    for (const set of partitionsByTenant.values()) expect(set.size).toBe(1);
  });

  it('hands batches of several partitions to the handler at once with partitionsConsumedConcurrently', async () => {
    // The earlier tests left envelopes of several tenants, hence in several partitions.
    let active = 0;
    let most = 0;
    const partitions = new Set<number>();
    const consumer = kafka.consumer({
      groupId: `g3-${topic}`,
      topics: [topic],
      fromBeginning: true,
      partitionsConsumedConcurrently: 3,
    });
    await consumer.run(async (_batch, { partition }) => {
      partitions.add(partition);
      active += 1;
      most = Math.max(most, active);
      // Holds this partition's batch so that the others of the same fetch can start meanwhile.
      await new Promise((r) => setTimeout(r, 300));
      active -= 1;
    });
    await waitUntil('two partitions handled', () => partitions.size >= 2, 30_000);
    await consumer.stop();
    expect(most).toBeGreaterThan(1);
  });
});
