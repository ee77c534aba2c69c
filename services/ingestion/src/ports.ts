import type { Envelope } from '@switchboard/contracts';

/** Where accepted events go: Kafka in production (adapters/kafka), an in-memory log in unit tests. */
export interface EventSink {
  /**
   * Resolves once every envelope is durably written, all of them or none; rejects otherwise. The
   * envelopes of one call all carry the same tenant id (the key).
   */
  publish(envelopes: Envelope[]): Promise<void>;
  /** True while the sink can take writes (producer connected). */
  isReady(): boolean;
  /** Flushes what is in flight and releases the connection. */
  close(): Promise<void>;
}

/** What ingestion counts; backed by OpenTelemetry metrics in production. */
export interface IngestionMetrics {
  accepted(events: number, tenantId: string): void;
  rejected(code: string): void;
  publishSeconds(seconds: number, outcome: 'ok' | 'error' | 'timeout'): void;
}

/** Prometheus text exposition of the process's metrics. */
export type MetricsText = () => Promise<{ contentType: string; body: string }>;
