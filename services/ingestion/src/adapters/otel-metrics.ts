import { serviceMeter } from '@switchboard/observability';
import type { IngestionMetrics } from '../ports';

/** Ingestion's metrics as OpenTelemetry instruments, exported by the Prometheus reader at /metrics. */
export function otelIngestionMetrics(): IngestionMetrics {
  const meter = serviceMeter('ingestion');
  const accepted = meter.counter('ingestion_events_accepted', 'Events durably written to Kafka', {
    unit: '{event}',
  });
  const rejected = meter.counter('ingestion_requests_rejected', 'Requests answered with a problem, by code');
  const publish = meter.histogram('ingestion_publish_duration', 'Wait for the Kafka acknowledgement', {
    unit: 's',
    buckets: [0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  });
  return {
    accepted: (events, tenantId) => accepted.add(events, { tenant: tenantId }),
    rejected: (code) => rejected.add(1, { code }),
    publishSeconds: (seconds, outcome) => publish.record(seconds, { outcome }),
  };
}
