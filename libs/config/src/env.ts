import { z } from 'zod';
import { withEnvMeta } from './env-meta';

/**
 * Small zod schemas for environment variables. Each takes the raw string (empty strings count as unset,
 * see `loadConfig`) and yields a typed value; chain `.default()`, `.optional()` and `.describe()` as usual.
 */

const INTEGER = /^[-+]?\d+$/;
const DURATION = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)?$/i;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

function string() {
  return withEnvMeta(z.string().trim().min(1, 'must not be blank'), { type: 'string' });
}

function int(opts: { min?: number; max?: number } = {}) {
  let target = z.number().int();
  if (opts.min !== undefined) target = target.min(opts.min, `must be >= ${opts.min}`);
  if (opts.max !== undefined) target = target.max(opts.max, `must be <= ${opts.max}`);
  const schema = z
    .string()
    .trim()
    .regex(INTEGER, 'must be an integer')
    .transform((s) => Number.parseInt(s, 10))
    .pipe(target);
  return withEnvMeta(schema, { type: 'integer' });
}

function portSchema() {
  return withEnvMeta(int({ min: 0, max: 65535 }), { type: 'port' });
}

/** A TCP port (0 lets the OS choose, handy in tests). */
function port(): ReturnType<typeof portSchema>;
function port(defaultPort: number): z.ZodDefault<ReturnType<typeof portSchema>>;
function port(defaultPort?: number) {
  const schema = portSchema();
  return defaultPort === undefined ? schema : schema.default(defaultPort);
}

/** `true/false`, `1/0`, `yes/no`, `on/off` (any case). */
function bool() {
  return withEnvMeta(z.stringbool({ error: 'must be a boolean (true/false, 1/0, yes/no, on/off)' }), {
    type: 'boolean',
  });
}

/** Comma-separated values, trimmed, empty items dropped; at least one item. */
function list<T extends z.ZodType<unknown, string> = z.ZodString>(item?: T) {
  const element = (item ?? z.string()) as T;
  const schema = z
    .string()
    .transform((s) =>
      s
        .split(',')
        .map((v) => v.trim())
        .filter((v) => v.length > 0),
    )
    .pipe(z.array(element).min(1, 'must list at least one value'));
  return withEnvMeta(schema, { type: 'comma-separated list' });
}

/** An absolute URL; `protocols` restricts the scheme (default http and https). */
function url(opts: { protocols?: readonly string[] } = {}) {
  const protocols = opts.protocols ?? ['http', 'https'];
  const protocol = new RegExp(`^(?:${protocols.map(escapeRegExp).join('|')})$`);
  const schema = z.url({ protocol, error: `must be a URL (${protocols.join(', ')})` });
  return withEnvMeta(schema, { type: `URL (${protocols.join(', ')})` });
}

function enumOf<const T extends readonly [string, ...string[]]>(values: T) {
  return withEnvMeta(z.enum(values, { error: `must be one of: ${values.join(', ')}` }), {
    type: values.join(' | '),
  });
}

/** A duration as `500ms`, `2s`, `1.5m`, `1h` or plain milliseconds; yields whole milliseconds. */
function durationMs() {
  const schema = z
    .string()
    .trim()
    .regex(DURATION, 'must be a duration such as 500ms, 2s, 1m, 1h (plain numbers are milliseconds)')
    .transform((s) => {
      const [, amount, unit] = DURATION.exec(s) as RegExpExecArray;
      return Math.round(Number(amount) * (UNIT_MS[(unit ?? 'ms').toLowerCase()] ?? 1));
    });
  return withEnvMeta(schema, { type: 'duration' });
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export const env = {
  string,
  int,
  port,
  bool,
  list,
  url,
  enum: enumOf,
  durationMs,
  /** Same as `durationMs` (name used in the first API sketch). */
  duration: durationMs,
};
