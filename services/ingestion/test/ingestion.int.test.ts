import { msFromTs } from '@switchboard/contracts';
import { startTelemetry, type Telemetry } from '@switchboard/observability';
import { requireEnv } from '@switchboard/testkit';
import { event, type Ingestion, readTopic, startIngestion } from './support';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

describe('ingestion against a real Kafka broker', () => {
  let telemetry: Telemetry;
  let ingestion: Ingestion;

  beforeAll(async () => {
    // Trace context propagation needs the SDK (W3C propagator, context manager), as in main.
    telemetry = startTelemetry({ serviceName: 'ingestion-int-test', prometheus: false, instrument: false });
    ingestion = await startIngestion(requireEnv('KAFKA_BROKERS'), {
      'acme-chat': { tenantId: 'acme', channels: ['chat'] },
      'globex-voice': { tenantId: 'globex', channels: ['voice'] },
    });
  });
  afterAll(async () => {
    await ingestion?.close();
    await telemetry?.shutdown();
  });

  const post = (key: string, body: unknown, headers: Record<string, string> = {}) =>
    ingestion.app.inject({
      method: 'POST',
      url: '/v1/events',
      headers: {
        authorization: `Bearer ${ingestion.keys[key]}`,
        'content-type': 'application/json',
        ...headers,
      },
      payload: JSON.stringify(body),
    });

  it('writes accepted events keyed by tenant, as envelopes, with trace context, and batches atomically', async () => {
    const single = await post('acme-chat', event('a-1'), {
      traceparent: `00-${TRACE_ID}-00f067aa0ba902b7-01`,
      'x-correlation-id': 'corr-1',
    });
    const batch = Array.from({ length: 100 }, (_, i) => event(`g-${i}`, { channel: 'voice' }));
    const batched = await post('globex-voice', { events: batch });
    const forbidden = await post('acme-chat', { events: [event('x-1'), event('x-2', { channel: 'voice' })] });
    const invalid = await post('acme-chat', { events: [event('y-1'), event('y-2', { occurredAt: 'now' })] });

    expect([single.statusCode, batched.statusCode, forbidden.statusCode, invalid.statusCode]).toEqual([
      202, 202, 403, 400,
    ]);
    const messages = await readTopic(ingestion.kafka, ingestion.topic, 101);
    expect(messages).toHaveLength(101);

    const first = messages.find((m) => m.envelope.eventId === 'a-1')!;
    expect(first.key).toBe('acme');
    expect(first.envelope).toMatchObject({
      tenantId: 'acme',
      aggregateId: 'conv-a-1',
      source: 'acme-chat',
      correlationId: 'corr-1',
    });
    expect(first.envelope.payload.case).toBe('conversationStarted');
    expect(msFromTs(first.envelope.occurredAt)).toBe(Date.parse('2026-01-02T03:04:05.000Z'));
    expect(msFromTs(first.envelope.recordedAt)).toBeGreaterThan(0);
    expect(first.headers.traceparent).toMatch(new RegExp(`^00-${TRACE_ID}-[0-9a-f]{16}-0[01]$`));

    // The batch: one tenant key, one partition, consecutive offsets, in request order.
    const globex = messages.filter((m) => m.envelope.tenantId === 'globex');
    expect(globex.map((m) => m.envelope.eventId)).toEqual(batch.map((e) => e.id));
    expect(new Set(globex.map((m) => `${m.key}/${m.partition}`)).size).toBe(1);
    const offsets = globex.map((m) => Number(m.offset));
    expect(offsets).toEqual(offsets.map((_, i) => offsets[0]! + i));

    // Rejected batches left nothing behind.
    expect(messages.filter((m) => /^[xy]-/.test(m.envelope.eventId))).toEqual([]);
  });

  it('reports ready while the producer is connected', async () => {
    const res = await ingestion.app.inject({ method: 'GET', url: '/readyz' });

    expect(res.statusCode).toBe(200);
  });
});
