import { context, propagation, trace } from '@opentelemetry/api';
import { createLogger } from './logger';
import { serviceMeter } from './metrics';
import { PROMETHEUS_CONTENT_TYPE, startTelemetry, type Telemetry } from './telemetry';

// Made before startTelemetry, like a module-level instrument: it must still be exported.
const early = serviceMeter('analytics').counter('projection.events', 'Events projected', { unit: '{event}' });

describe('startTelemetry', () => {
  let telemetry: Telemetry;

  beforeAll(() => {
    telemetry = startTelemetry({ serviceName: 'analytics', instrument: false });
  });

  afterAll(async () => {
    await telemetry.shutdown();
  });

  it('puts the active span ids on log lines', () => {
    const lines: string[] = [];
    const logger = createLogger({
      service: 'analytics',
      destination: { write: (s: string) => lines.push(s) },
    });
    const tracer = trace.getTracer('test');
    let ids: { traceId: string; spanId: string } | undefined;
    tracer.startActiveSpan('project', (span) => {
      ids = span.spanContext();
      logger.info('inside');
      span.end();
    });
    logger.info('outside');
    const [inside, outside] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(ids?.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(inside).toMatchObject({ trace_id: ids?.traceId, span_id: ids?.spanId, trace_flags: '01' });
    expect(outside).not.toHaveProperty('trace_id');
  });

  it('propagates W3C trace context', () => {
    const carrier: Record<string, string> = {};
    trace.getTracer('test').startActiveSpan('call', (span) => {
      propagation.inject(context.active(), carrier);
      expect(carrier.traceparent).toBe(`00-${span.spanContext().traceId}-${span.spanContext().spanId}-01`);
      span.end();
    });
  });

  it('exposes recorded metrics in Prometheus text format', async () => {
    const meter = serviceMeter('analytics');
    meter
      .counter('projection.rows.written', 'Rows written to read models')
      .add(3, { table: 'conversations' });
    meter
      .histogram('projection.batch.duration', 'Batch duration', { unit: 's', buckets: [0.01, 0.1] })
      .record(0.05);
    meter.histogram('projection.batch.size', 'Events per batch', [10, 100]).record(42);
    const lag = meter.gauge('projection.lag', 'Consumer lag in messages');
    lag.record(7);
    const inflight = meter.upDownCounter('projection.inflight', 'Batches in flight');
    inflight.add(2);
    inflight.add(-1);
    meter.observableGauge('projection.pending', 'Pending events', () => [
      { value: 11, attributes: { partition: '0' } },
    ]);
    early.add(5);

    const { contentType, body } = await telemetry.metricsHandler();
    expect(contentType).toBe(PROMETHEUS_CONTENT_TYPE);
    expect(body).toContain('# HELP projection_rows_written_total Rows written to read models');
    expect(body).toMatch(/projection_rows_written_total\{table="conversations",[^}]*\} 3\n/);
    expect(body).toMatch(/projection_batch_duration_bucket\{[^}]*le="0.1"\} 1\n/);
    expect(body).toMatch(/projection_batch_size_bucket\{[^}]*le="100"\} 1\n/);
    expect(body).toMatch(/projection_batch_size_bucket\{[^}]*le="10"\} 0\n/);
    expect(body).toMatch(/projection_lag\{[^}]*\} 7\n/);
    expect(body).toMatch(/projection_inflight\{[^}]*\} 1\n/);
    expect(body).toMatch(/projection_pending\{partition="0",[^}]*\} 11\n/);
    expect(body).toMatch(/projection_events_total\{[^}]*\} 5\n/);
    expect(body).toContain('service_name="analytics"');
  });
});
