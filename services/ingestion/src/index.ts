export { KafkaEventSink } from './adapters/kafka/kafka-event-sink';
export { type AppDeps, type AppLimits, buildApp } from './app';
export { type ApiKeyEntry, generateKey, KeyRing, type Principal, sha256Hex } from './auth/api-key';
export { loadKeysFile, parseKeys } from './auth/keys-file';
export { type IngestionConfig, ingestionEnv, loadIngestionConfig } from './config';
export { CHANNELS, EVENT_TYPES, type IncomingEvent, MAX_BATCH_EVENTS } from './domain/events';
export { ErrorCatalogue, type ErrorCode, IngestionError } from './errors';
export type { EventSink, IngestionMetrics, MetricsText } from './ports';
