import { context, metrics, propagation, trace } from '@opentelemetry/api';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { PrometheusExporter, PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { GrpcInstrumentation } from '@opentelemetry/instrumentation-grpc';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK, type NodeSDKConfiguration } from '@opentelemetry/sdk-node';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import { meterProviderChanged } from './meter-provider-change';

export interface TelemetryOpts {
  serviceName: string;
  serviceVersion?: string;
  /** OTLP/HTTP collector base URL; traces go to `<url>/v1/traces`. Unset: spans are created (ids in logs, context propagated) but not exported. */
  otlpEndpoint?: string;
  /** Collect metrics for `metricsHandler()` (default true). */
  prometheus?: boolean;
  /** Patch http, pg and grpc-js (default true). Only modules loaded after `startTelemetry` are patched. */
  instrument?: boolean;
}

export interface Telemetry {
  /** The Prometheus text exposition of every metric, for the service's own `/metrics` route. */
  metricsHandler(): Promise<{ contentType: string; body: string }>;
  /** Flushes and stops exporters, then unregisters the global providers. */
  shutdown(): Promise<void>;
}

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

type SpanProcessor = NonNullable<NodeSDKConfiguration['spanProcessors']>[number];

/** Keeps a tracer provider (so spans have ids and context propagates) while exporting nothing. */
const dropSpans: SpanProcessor = {
  onStart: () => {},
  onEnd: () => {},
  forceFlush: async () => {},
  shutdown: async () => {},
};

/**
 * Starts OpenTelemetry for a service: W3C trace-context and baggage propagation, OTLP/HTTP trace export
 * when an endpoint is given, Prometheus metrics served by the caller through `metricsHandler()` (no
 * server of its own), and http/pg/grpc instrumentations. Call it first in `main.ts`, before the modules
 * to be instrumented are loaded.
 */
export function startTelemetry(opts: TelemetryOpts): Telemetry {
  const prometheus =
    opts.prometheus === false ? undefined : new PrometheusExporter({ preventServerStart: true });
  const serializer = new PrometheusSerializer();
  const sdk = new NodeSDK({
    resource: resourceFromAttributes({
      [ATTR_SERVICE_NAME]: opts.serviceName,
      ...(opts.serviceVersion ? { [ATTR_SERVICE_VERSION]: opts.serviceVersion } : {}),
    }),
    serviceName: opts.serviceName,
    textMapPropagator: new CompositePropagator({
      propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()],
    }),
    // Explicit lists everywhere, so nothing is configured behind our back from OTEL_* variables.
    spanProcessors: opts.otlpEndpoint ? undefined : [dropSpans],
    ...(opts.otlpEndpoint
      ? { traceExporter: new OTLPTraceExporter({ url: tracesUrl(opts.otlpEndpoint) }) }
      : {}),
    metricReaders: prometheus ? [prometheus] : [],
    logRecordProcessors: [],
    instrumentations:
      opts.instrument === false
        ? []
        : [new HttpInstrumentation(), new PgInstrumentation(), new GrpcInstrumentation()],
  });
  sdk.start();
  meterProviderChanged();

  return {
    async metricsHandler() {
      if (!prometheus) return { contentType: PROMETHEUS_CONTENT_TYPE, body: '' };
      const { resourceMetrics } = await prometheus.collect();
      return { contentType: PROMETHEUS_CONTENT_TYPE, body: serializer.serialize(resourceMetrics) };
    },
    async shutdown() {
      try {
        await sdk.shutdown();
      } finally {
        trace.disable();
        metrics.disable();
        propagation.disable();
        context.disable();
        meterProviderChanged();
      }
    },
  };
}

function tracesUrl(endpoint: string): string {
  return `${endpoint.replace(/\/+$/, '')}/v1/traces`;
}
