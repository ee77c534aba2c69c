// Started on import, before the modules it instruments (pg, http, grpc-js) are loaded by main.ts.
import { startTelemetry, type Telemetry } from '@switchboard/observability';
import { type AnalyticsConfig, loadAnalyticsConfig } from './config';

export const config: AnalyticsConfig = loadAnalyticsConfig();

export const telemetry: Telemetry = startTelemetry({
  serviceName: config.OTEL_SERVICE_NAME ?? 'analytics',
  ...(config.OTEL_EXPORTER_OTLP_ENDPOINT ? { otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT } : {}),
});
