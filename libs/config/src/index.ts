export { z } from 'zod';
export { ConfigError, type ConfigProblem } from './config-error';
export { type ConfigVariable, describeConfig, redactConfig, renderConfigTable } from './describe-config';
export { env } from './env';
export { type EnvMeta, requiredWith, secret } from './env-meta';
export {
  grpcEnv,
  grpcTls,
  httpEnv,
  httpTls,
  type KafkaConnection,
  kafkaConnection,
  kafkaEnv,
  type ListenerTls,
  LOG_LEVELS,
  logEnv,
  postgresEnv,
  SASL_MECHANISMS,
  sharedFragments,
  telemetryEnv,
} from './fragments';
export { configShape, type EnvSource, loadConfig } from './load-config';
