import type { ServiceMeter } from '@switchboard/observability';
import type { RoutingMetrics } from './metrics';

const SECONDS = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 120, 300, 600, 1800];

/** Routing metrics as OpenTelemetry instruments (exported on /metrics by the Prometheus reader). */
export function otelRoutingMetrics(meter: ServiceMeter): RoutingMetrics {
  const decisions = meter.counter('routing_decisions', 'Inputs decided by the routing owner', {
    unit: '{decision}',
  });
  const events = meter.counter('routing_events_produced', 'Routing events written to the changelog', {
    unit: '{event}',
  });
  const waited = meter.histogram('routing_waiting_time', 'Time a conversation waited before it was offered', {
    unit: 's',
    buckets: SECONDS,
  });
  const expired = meter.counter('routing_offers_expired', 'Offers not answered in time', { unit: '{offer}' });
  const dead = meter.counter('routing_inputs_dead_lettered', 'Inputs routing could not accept', {
    unit: '{message}',
  });
  const lag = meter.histogram('routing_input_lag', 'Age of the oldest input of a batch when decided', {
    unit: 's',
    buckets: SECONDS,
  });
  const recovery = meter.gauge('routing_recovery_time', 'Duration of the last recovery of a partition', {
    unit: 's',
  });
  const replayed = meter.gauge(
    'routing_recovery_replayed_events',
    'Changelog events replayed by the last recovery',
    { unit: '{event}' },
  );
  const snapshotBytes = meter.gauge('routing_snapshot_size', 'Size of the last snapshot of a partition', {
    unit: 'By',
  });
  return {
    decided: (n) => decisions.add(n),
    eventsProduced: (n) => events.add(n),
    waited: (s) => waited.record(s),
    offersExpired: (n) => expired.add(n),
    deadLettered: (code) => dead.add(1, { code }),
    inputLag: (s) => lag.record(s),
    recovered: (partition, seconds, n) => {
      recovery.record(seconds, { partition });
      replayed.record(n, { partition });
    },
    snapshotWritten: (partition, bytes) => snapshotBytes.record(bytes, { partition }),
  };
}
