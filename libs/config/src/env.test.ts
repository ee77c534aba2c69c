import fc from 'fast-check';
import { z } from 'zod';
import { ConfigError } from './config-error';
import { env } from './env';
import { loadConfig } from './load-config';

function parse<S extends z.ZodType>(field: S, value: string | undefined): z.output<S> {
  const config: { V?: unknown } = loadConfig(z.object({ V: field }), { V: value });
  return config.V as z.output<S>;
}

function problemOf(field: z.ZodType, value: string | undefined): string {
  try {
    loadConfig(z.object({ V: field }), { V: value });
  } catch (e) {
    if (e instanceof ConfigError) return e.problems[0]?.problem ?? '';
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('env.int', () => {
  it('parses integers with bounds', () => {
    expect(parse(env.int(), ' 42 ')).toBe(42);
    expect(parse(env.int(), '-7')).toBe(-7);
    expect(problemOf(env.int({ min: 1 }), '0')).toBe('must be >= 1');
    expect(problemOf(env.int({ max: 9 }), '10')).toBe('must be <= 9');
  });

  it('rejects non-integers', () => {
    for (const bad of ['1.5', 'abc', '12px', '0x10'])
      expect(problemOf(env.int(), bad)).toBe('must be an integer');
  });

  it('round-trips every safe integer', () => {
    fc.assert(fc.property(fc.integer(), (n) => parse(env.int(), String(n)) === n));
  });
});

describe('env.port', () => {
  it('uses the default when unset or blank', () => {
    expect(parse(env.port(8080), undefined)).toBe(8080);
    expect(parse(env.port(8080), '   ')).toBe(8080);
    expect(parse(env.port(8080), '9090')).toBe(9090);
  });

  it('accepts 0..65535 only', () => {
    expect(parse(env.port(), '0')).toBe(0);
    expect(parse(env.port(), '65535')).toBe(65535);
    expect(problemOf(env.port(), '65536')).toBe('must be <= 65535');
    expect(problemOf(env.port(), '-1')).toBe('must be >= 0');
  });

  it('is required without a default', () => {
    expect(problemOf(env.port(), undefined)).toBe('is required but not set');
  });
});

describe('env.bool', () => {
  it.each([
    ['true', true],
    ['TRUE', true],
    ['1', true],
    ['yes', true],
    ['on', true],
    ['false', false],
    ['0', false],
    ['No', false],
    ['off', false],
  ])('%s -> %s', (raw, expected) => {
    expect(parse(env.bool(), raw)).toBe(expected);
  });

  it('rejects anything else', () => {
    expect(problemOf(env.bool(), 'maybe')).toMatch(/must be a boolean/);
  });
});

describe('env.list', () => {
  it('splits on commas, trims and drops empty items', () => {
    expect(parse(env.list(), ' a:1, b:2 ,,c:3,')).toEqual(['a:1', 'b:2', 'c:3']);
  });

  it('needs at least one item', () => {
    expect(problemOf(env.list(), ',,')).toBe('must list at least one value');
  });

  it('validates each item with the given schema', () => {
    const hostPort = z.string().regex(/^[\w.-]+:\d+$/, 'must be host:port');
    expect(problemOf(env.list(hostPort), 'a:1,b')).toBe('must be host:port');
  });
});

describe('env.url', () => {
  it('accepts http(s) by default and other schemes on request', () => {
    expect(parse(env.url(), 'http://collector:4318')).toBe('http://collector:4318');
    expect(problemOf(env.url(), 'ftp://x')).toBe('must be a URL (http, https)');
    expect(problemOf(env.url(), 'not a url')).toBe('must be a URL (http, https)');
    const pg = env.url({ protocols: ['postgres', 'postgresql'] });
    expect(parse(pg, 'postgresql://u@h/db')).toBe('postgresql://u@h/db');
  });
});

describe('env.enum', () => {
  it('accepts listed values only', () => {
    const level = env.enum(['info', 'debug']);
    expect(parse(level, 'debug')).toBe('debug');
    expect(problemOf(level, 'loud')).toBe('must be one of: info, debug');
  });
});

describe('env.durationMs', () => {
  it.each([
    ['500ms', 500],
    ['250', 250],
    ['2s', 2_000],
    ['1.5s', 1_500],
    ['1m', 60_000],
    ['1h', 3_600_000],
    ['3S', 3_000],
  ])('%s -> %d ms', (raw, ms) => {
    expect(parse(env.durationMs(), raw)).toBe(ms);
  });

  it('rejects unknown units and garbage', () => {
    for (const bad of ['2d', 's', '-1s', 'soon'])
      expect(problemOf(env.durationMs(), bad)).toMatch(/duration/);
  });

  it('is also available as env.duration', () => {
    expect(parse(env.duration().default(1_000), undefined)).toBe(1_000);
  });
});

describe('env.string', () => {
  it('trims and rejects blank', () => {
    expect(parse(env.string(), '  x  ')).toBe('x');
    expect(problemOf(env.string(), undefined)).toBe('is required but not set');
  });
});
