import { z } from 'zod';
import { env } from './env';
import { requiredWith, secret } from './env-meta';

/*
 * Reusable pieces of service configuration. Each is a zod object keyed by variable name, without
 * refinements, so a service composes them with `z.object({ ...kafkaEnv.shape, ...logEnv.shape, ... })`
 * or `kafkaEnv.extend({...})`. Cross-field rules are field metadata (`requiredWith`) checked by `loadConfig`.
 */

export const SASL_MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512'] as const;
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export const kafkaEnv = z.object({
  KAFKA_BROKERS: env.list().describe('Kafka bootstrap brokers, comma separated host:port'),
  KAFKA_CLIENT_ID: env.string().default('switchboard').describe('Client id reported to the brokers'),
  KAFKA_SSL: env.bool().default(false).describe('Connect to the brokers with TLS'),
  KAFKA_SASL_MECHANISM: env
    .enum(SASL_MECHANISMS)
    .optional()
    .describe('SASL mechanism; unset means no SASL authentication'),
  KAFKA_SASL_USERNAME: requiredWith(env.string().optional(), 'KAFKA_SASL_MECHANISM').describe(
    'SASL user name',
  ),
  KAFKA_SASL_PASSWORD: secret(requiredWith(env.string().optional(), 'KAFKA_SASL_MECHANISM')).describe(
    'SASL password',
  ),
});

export const logEnv = z.object({
  LOG_LEVEL: env
    .enum(LOG_LEVELS)
    .default('info')
    .describe('Minimum level of JSON log lines written to stdout'),
});

export const telemetryEnv = z.object({
  OTEL_EXPORTER_OTLP_ENDPOINT: env
    .url()
    .optional()
    .describe(
      'OTLP/HTTP collector base URL (traces are posted to its /v1/traces path); unset disables trace export',
    ),
  OTEL_SERVICE_NAME: env
    .string()
    .optional()
    .describe('Service name on traces and metrics; defaults to the service'),
});

export const postgresEnv = z.object({
  DATABASE_URL: secret(env.url({ protocols: ['postgres', 'postgresql'] })).describe(
    'PostgreSQL connection URL, postgres://user:password@host:port/database',
  ),
});

export const httpEnv = z.object({
  HTTP_HOST: env.string().default('0.0.0.0').describe('Interface the HTTP listener binds'),
  HTTP_PORT: env.port(8080).describe('HTTP listener port (API, /metrics, /healthz)'),
  HTTP_TLS_CERT_FILE: requiredWith(env.string().optional(), 'HTTP_TLS_KEY_FILE').describe(
    'PEM certificate chain; set with HTTP_TLS_KEY_FILE to serve HTTPS',
  ),
  HTTP_TLS_KEY_FILE: requiredWith(env.string().optional(), 'HTTP_TLS_CERT_FILE').describe('PEM private key'),
});

export const grpcEnv = z.object({
  GRPC_HOST: env.string().default('0.0.0.0').describe('Interface the gRPC listener binds'),
  GRPC_PORT: env.port(50051).describe('gRPC listener port'),
  GRPC_TLS_CERT_FILE: requiredWith(env.string().optional(), 'GRPC_TLS_KEY_FILE').describe(
    'PEM certificate chain; set with GRPC_TLS_KEY_FILE to serve gRPC over TLS',
  ),
  GRPC_TLS_KEY_FILE: requiredWith(env.string().optional(), 'GRPC_TLS_CERT_FILE').describe('PEM private key'),
  GRPC_TLS_CA_FILE: env
    .string()
    .optional()
    .describe('PEM CA bundle; when set, clients must present a certificate it signed (mutual TLS)'),
});

/** Every shared fragment, in the order of the configuration reference. */
export const sharedFragments = { kafkaEnv, logEnv, telemetryEnv, postgresEnv, httpEnv, grpcEnv } as const;

/** Connection settings for a Kafka client, from a config that includes `kafkaEnv`. */
export interface KafkaConnection {
  brokers: string[];
  clientId: string;
  ssl: boolean;
  sasl?: { mechanism: (typeof SASL_MECHANISMS)[number]; username: string; password: string };
}

export function kafkaConnection(config: z.output<typeof kafkaEnv>): KafkaConnection {
  const base = {
    brokers: [...config.KAFKA_BROKERS],
    clientId: config.KAFKA_CLIENT_ID,
    ssl: config.KAFKA_SSL,
  };
  const {
    KAFKA_SASL_MECHANISM: mechanism,
    KAFKA_SASL_USERNAME: username,
    KAFKA_SASL_PASSWORD: password,
  } = config;
  // loadConfig has already enforced that user name and password come with a mechanism.
  if (mechanism && username !== undefined && password !== undefined) {
    return { ...base, sasl: { mechanism, username, password } };
  }
  return base;
}

export interface ListenerTls {
  certFile: string;
  keyFile: string;
  caFile?: string;
}

/** TLS files of the gRPC listener (the shape `createGrpcServer` takes), or undefined for plaintext. */
export function grpcTls(config: z.output<typeof grpcEnv>): ListenerTls | undefined {
  if (!config.GRPC_TLS_CERT_FILE || !config.GRPC_TLS_KEY_FILE) return undefined;
  return {
    certFile: config.GRPC_TLS_CERT_FILE,
    keyFile: config.GRPC_TLS_KEY_FILE,
    ...(config.GRPC_TLS_CA_FILE ? { caFile: config.GRPC_TLS_CA_FILE } : {}),
  };
}

/** TLS files of the HTTP listener, or undefined for plaintext. */
export function httpTls(config: z.output<typeof httpEnv>): ListenerTls | undefined {
  if (!config.HTTP_TLS_CERT_FILE || !config.HTTP_TLS_KEY_FILE) return undefined;
  return { certFile: config.HTTP_TLS_CERT_FILE, keyFile: config.HTTP_TLS_KEY_FILE };
}
