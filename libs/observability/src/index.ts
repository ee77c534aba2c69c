export { createHealthServer, type HealthDeps, listen } from './health-server';
export { runMain, type StopOnSignalsOptions, stopOnSignals } from './lifecycle';
export {
  createLogger,
  type Logger,
  type LoggerOpts,
  REDACT_PATHS,
  REDACTED,
  SECRET_KEYS,
  traceFields,
} from './logger';
export {
  type CounterLike,
  type HistogramOpts,
  type InstrumentOpts,
  type Observation,
  type RecorderLike,
  type ServiceMeter,
  serviceMeter,
} from './metrics';
export { PROMETHEUS_CONTENT_TYPE, startTelemetry, type Telemetry, type TelemetryOpts } from './telemetry';
