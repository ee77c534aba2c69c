import { z } from 'zod';
import { ConfigError } from './config-error';
import { env } from './env';
import { requiredWith } from './env-meta';
import {
  grpcEnv,
  grpcTls,
  httpEnv,
  httpTls,
  kafkaConnection,
  kafkaEnv,
  logEnv,
  postgresEnv,
} from './fragments';
import { loadConfig } from './load-config';

const schema = z.object({
  ...kafkaEnv.shape,
  ...logEnv.shape,
  ...postgresEnv.shape,
  HTTP_PORT: env.port(8080),
  BATCH_WINDOW: env.durationMs().default(5),
});

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('given a valid environment, returns typed values with defaults applied', () => {
    const config = loadConfig(schema, {
      KAFKA_BROKERS: 'k1:9092,k2:9092',
      DATABASE_URL: 'postgres://app:pw@db:5432/switchboard',
      BATCH_WINDOW: '2s',
      UNRELATED: 'ignored',
    });
    expect(config).toEqual({
      KAFKA_BROKERS: ['k1:9092', 'k2:9092'],
      KAFKA_CLIENT_ID: 'switchboard',
      KAFKA_SSL: false,
      LOG_LEVEL: 'info',
      DATABASE_URL: 'postgres://app:pw@db:5432/switchboard',
      HTTP_PORT: 8080,
      BATCH_WINDOW: 2_000,
    });
    expect(config).not.toHaveProperty('UNRELATED');
  });

  it('deep-freezes the result', () => {
    const config = loadConfig(schema, { KAFKA_BROKERS: 'k:1', DATABASE_URL: 'postgres://h/d' });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.KAFKA_BROKERS)).toBe(true);
    expect(() => (config.KAFKA_BROKERS as string[]).push('x')).toThrow(TypeError);
  });

  it('names every bad variable in one error, with code CFG_ERR_INVALID', () => {
    const err = configError(() =>
      loadConfig(schema, {
        KAFKA_SSL: 'perhaps',
        LOG_LEVEL: 'loud',
        HTTP_PORT: '70000',
        BATCH_WINDOW: 'later',
      }),
    );
    expect(err.code).toBe('CFG_ERR_INVALID');
    expect(err.problems.map((p) => p.variable).sort()).toEqual(
      ['BATCH_WINDOW', 'DATABASE_URL', 'HTTP_PORT', 'KAFKA_BROKERS', 'KAFKA_SSL', 'LOG_LEVEL'].sort(),
    );
    for (const p of err.problems) expect(err.message).toContain(`${p.variable}: ${p.problem}`);
    expect(err.problems.find((p) => p.variable === 'KAFKA_BROKERS')?.problem).toBe('is required but not set');
  });

  it('never echoes a bad value into the message', () => {
    const err = configError(() =>
      loadConfig(schema, { KAFKA_BROKERS: 'k:1', DATABASE_URL: 'mysql://u:hunter2@h/d' }),
    );
    expect(err.message).toContain('DATABASE_URL');
    expect(err.message).not.toContain('hunter2');
  });

  it('treats blank values as unset', () => {
    const config = loadConfig(schema, {
      KAFKA_BROKERS: 'k:1',
      DATABASE_URL: 'postgres://h/d',
      LOG_LEVEL: '',
    });
    expect(config.LOG_LEVEL).toBe('info');
  });

  it('enforces requiredWith rules alongside schema problems', () => {
    const err = configError(() =>
      loadConfig(schema, { KAFKA_BROKERS: 'k:1', KAFKA_SASL_MECHANISM: 'scram-sha-512', LOG_LEVEL: 'loud' }),
    );
    const byVar = Object.fromEntries(err.problems.map((p) => [p.variable, p.problem]));
    expect(byVar).toMatchObject({
      KAFKA_SASL_USERNAME: 'is required when KAFKA_SASL_MECHANISM is set',
      KAFKA_SASL_PASSWORD: 'is required when KAFKA_SASL_MECHANISM is set',
      LOG_LEVEL: 'must be one of: fatal, error, warn, info, debug, trace, silent',
      DATABASE_URL: 'is required but not set',
    });
  });

  it('keeps requiredWith metadata through .describe() and .default()', () => {
    const s = z.object({
      A: env.string().optional(),
      B: requiredWith(env.string().optional(), 'A').describe('needed with A'),
    });
    expect(() => loadConfig(s, { A: 'x' })).toThrow('B: is required when A is set');
    expect(loadConfig(s, { A: 'x', B: 'y' })).toEqual({ A: 'x', B: 'y' });
  });

  it('accepts a transformed schema and reports refinement problems', () => {
    const s = z
      .object({ MIN: env.int(), MAX: env.int() })
      .refine((c) => c.MIN <= c.MAX, { message: 'must not exceed MAX', path: ['MIN'] })
      .transform((c) => ({ range: [c.MIN, c.MAX] as const }));
    expect(loadConfig(s, { MIN: '1', MAX: '3' })).toEqual({ range: [1, 3] });
    expect(() => loadConfig(s, { MIN: '5', MAX: '3' })).toThrow('MIN: must not exceed MAX');
  });

  it('reads process.env by default', () => {
    const s = z.object({ PATH: env.string() });
    expect(loadConfig(s).PATH.length).toBeGreaterThan(0);
  });
});

describe('kafkaConnection', () => {
  it('maps the fragment to client settings, with SASL only when configured', () => {
    const plain = loadConfig(kafkaEnv, {
      KAFKA_BROKERS: 'a:1',
      KAFKA_SSL: 'true',
      KAFKA_CLIENT_ID: 'routing',
    });
    expect(kafkaConnection(plain)).toEqual({ brokers: ['a:1'], clientId: 'routing', ssl: true });
    const sasl = loadConfig(kafkaEnv, {
      KAFKA_BROKERS: 'a:1',
      KAFKA_SASL_MECHANISM: 'plain',
      KAFKA_SASL_USERNAME: 'u',
      KAFKA_SASL_PASSWORD: 'p',
    });
    expect(kafkaConnection(sasl).sasl).toEqual({ mechanism: 'plain', username: 'u', password: 'p' });
  });
});

describe('listener TLS', () => {
  it('is off unless both certificate and key are set, and they must come together', () => {
    expect(grpcTls(loadConfig(grpcEnv, {}))).toBeUndefined();
    expect(httpTls(loadConfig(httpEnv, {}))).toBeUndefined();
    expect(() => loadConfig(grpcEnv, { GRPC_TLS_CERT_FILE: '/tls/cert.pem' })).toThrow(
      'GRPC_TLS_KEY_FILE: is required when GRPC_TLS_CERT_FILE is set',
    );
    const grpc = loadConfig(grpcEnv, {
      GRPC_TLS_CERT_FILE: '/tls/cert.pem',
      GRPC_TLS_KEY_FILE: '/tls/key.pem',
      GRPC_TLS_CA_FILE: '/tls/ca.pem',
    });
    expect(grpcTls(grpc)).toEqual({
      certFile: '/tls/cert.pem',
      keyFile: '/tls/key.pem',
      caFile: '/tls/ca.pem',
    });
    const http = loadConfig(httpEnv, {
      HTTP_TLS_CERT_FILE: '/c.pem',
      HTTP_TLS_KEY_FILE: '/k.pem',
      HTTP_PORT: '8443',
    });
    expect(httpTls(http)).toEqual({ certFile: '/c.pem', keyFile: '/k.pem' });
    expect(http.HTTP_PORT).toBe(8443);
  });
});
