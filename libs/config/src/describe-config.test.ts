import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { describeConfig, redactConfig, renderConfigTable } from './describe-config';
import { env } from './env';
import { secret } from './env-meta';
import { kafkaEnv, postgresEnv } from './fragments';
import { loadConfig } from './load-config';
import { withSharedReference } from './reference';

describe('describeConfig', () => {
  it('lists each variable with type, requiredness, default, description and secrecy', () => {
    const rows = describeConfig(kafkaEnv);
    expect(rows.map((r) => r.name)).toEqual([
      'KAFKA_BROKERS',
      'KAFKA_CLIENT_ID',
      'KAFKA_SSL',
      'KAFKA_SASL_MECHANISM',
      'KAFKA_SASL_USERNAME',
      'KAFKA_SASL_PASSWORD',
    ]);
    const byName = Object.fromEntries(rows.map((r) => [r.name, r]));
    expect(byName.KAFKA_BROKERS).toMatchObject({
      type: 'comma-separated list',
      required: true,
      secret: false,
    });
    expect(byName.KAFKA_BROKERS).not.toHaveProperty('default');
    expect(byName.KAFKA_SSL).toMatchObject({ type: 'boolean', required: false, default: 'false' });
    expect(byName.KAFKA_SASL_PASSWORD).toMatchObject({
      required: false,
      secret: true,
      requiredWith: ['KAFKA_SASL_MECHANISM'],
      description: 'SASL password',
    });
  });

  it('sees through transforms and writes list defaults as the environment would', () => {
    const s = z
      .object({
        PEERS: env.list().default(['a:1', 'b:2']).describe('peers'),
        WINDOW: env.durationMs().describe('window').default(250),
        MODE: env.enum(['fast', 'safe']).optional(),
      })
      .transform((c) => ({ ...c, derived: true }));
    expect(describeConfig(s)).toEqual([
      {
        name: 'PEERS',
        type: 'comma-separated list',
        required: false,
        default: 'a:1,b:2',
        description: 'peers',
        secret: false,
        requiredWith: [],
      },
      {
        name: 'WINDOW',
        type: 'duration',
        required: false,
        default: '250',
        description: 'window',
        secret: false,
        requiredWith: [],
      },
      {
        name: 'MODE',
        type: 'fast | safe',
        required: false,
        description: '',
        secret: false,
        requiredWith: [],
      },
    ]);
  });

  it('rejects a schema that is not an object of variables', () => {
    expect(() => describeConfig(z.string())).toThrow(TypeError);
  });
});

describe('renderConfigTable', () => {
  it('renders one padded Markdown row per variable, escaping pipes', () => {
    const s = z.object({ MODE: env.enum(['a', 'b']).describe('mode'), URL: secret(env.url()) });
    expect(renderConfigTable(describeConfig(s)).split('\n')).toEqual([
      '| Variable | Type              | Required | Default | Description            |',
      '| -------- | ----------------- | -------- | ------- | ---------------------- |',
      '| `MODE`   | a \\| b            | yes      |         | mode                   |',
      '| `URL`    | URL (http, https) | yes      |         | (secret: never logged) |',
    ]);
  });
});

describe('redactConfig', () => {
  it('hides secret values only', () => {
    const s = z.object({
      DATABASE_URL: postgresEnv.shape.DATABASE_URL,
      TOKEN: secret(env.string()),
      N: env.int(),
    });
    const config = loadConfig(s, { DATABASE_URL: 'postgres://u:pw@h/d', TOKEN: 't0k3n', N: '3' });
    expect(redactConfig(s, config)).toEqual({ DATABASE_URL: '[redacted]', TOKEN: '[redacted]', N: 3 });
  });
});

describe('docs/config.md', () => {
  it('carries the current reference of the shared fragments (run `pnpm --filter @switchboard/config docs`)', () => {
    const doc = readFileSync(join(__dirname, '../../../docs/config.md'), 'utf8');
    expect(withSharedReference(doc)).toBe(doc);
  });
});
