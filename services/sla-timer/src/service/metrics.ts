import type { ServiceMeter } from '@switchboard/observability';

/** What the owner reports; OpenTelemetry instruments in the service, nothing in unit tests. */
export interface SlaMetrics {
  /** Warnings and breaches fired by a tick, with how late the decision came after their instant. */
  fired(latenessMs: number): void;
  inputsDecided(n: number): void;
  eventsProduced(n: number): void;
  /** Age of a batch's first input when decided (the consumer lag in time). */
  inputLag(seconds: number): void;
  rejected(code: string): void;
  /** A breach or met written for a tenant (the SLA attainment alert and dashboard read these). */
  outcome(tenant: string, kind: 'breached' | 'met'): void;
  recovered(partition: number, seconds: number, replayed: number): void;
  snapshotWritten(partition: number, bytes: number): void;
}

export const noMetrics: SlaMetrics = {
  fired: () => {},
  inputsDecided: () => {},
  eventsProduced: () => {},
  inputLag: () => {},
  rejected: () => {},
  outcome: () => {},
  recovered: () => {},
  snapshotWritten: () => {},
};

const MS = [1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 60_000, 600_000];
const SECONDS = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300];

/** The metrics as OpenTelemetry instruments (exported on /metrics by the Prometheus reader). */
export function otelSlaMetrics(meter: ServiceMeter): SlaMetrics {
  const fired = meter.counter('sla_timers_fired', 'Warnings and breaches fired by ticks', {
    unit: '{timer}',
  });
  const lateness = meter.histogram(
    'sla_firing_lateness',
    'Decision time of a fired timer minus its instant',
    {
      unit: 'ms',
      buckets: MS,
    },
  );
  const decided = meter.counter('sla_inputs_decided', 'Inputs decided by the owner', { unit: '{input}' });
  const produced = meter.counter('sla_events_produced', 'SLA events written to the changelog', {
    unit: '{event}',
  });
  const lag = meter.histogram('sla_input_lag', 'Age of the first input of a batch when decided', {
    unit: 's',
    buckets: SECONDS,
  });
  const rejected = meter.counter('sla_inputs_rejected', 'Inputs the decider could not take', {
    unit: '{input}',
  });
  const breaches = meter.counter('sla_breaches', 'SLA targets breached, by tenant', { unit: '{target}' });
  const met = meter.counter('sla_met', 'SLA targets met, by tenant', { unit: '{target}' });
  const recovery = meter.gauge('sla_recovery_time', 'Duration of the last recovery of a partition', {
    unit: 's',
  });
  const replayed = meter.gauge('sla_recovery_replayed', 'Records replayed by the last recovery', {
    unit: '{record}',
  });
  const snapshot = meter.gauge('sla_snapshot_size', 'Size of the last snapshot of a partition', {
    unit: 'By',
  });
  return {
    fired: (ms) => {
      fired.add(1);
      lateness.record(ms);
    },
    inputsDecided: (n) => decided.add(n),
    eventsProduced: (n) => produced.add(n),
    inputLag: (s) => lag.record(s),
    rejected: (code) => rejected.add(1, { code }),
    outcome: (tenant, kind) => (kind === 'breached' ? breaches : met).add(1, { tenant }),
    recovered: (partition, seconds, n) => {
      recovery.record(seconds, { partition });
      replayed.record(n, { partition });
    },
    snapshotWritten: (partition, bytes) => snapshot.record(bytes, { partition }),
  };
}
