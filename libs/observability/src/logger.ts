import { context, isSpanContextValid, trace } from '@opentelemetry/api';
import { type DestinationStream, type Logger, type LoggerOptions, pino } from 'pino';

export type { Logger } from 'pino';

/** Keys whose values never reach a log line, wherever they appear (top level and two levels down). */
export const SECRET_KEYS = [
  'authorization',
  'cookie',
  'apiKey',
  'api_key',
  'x-api-key',
  'password',
  'token',
  'accessToken',
  'refreshToken',
  'secret',
] as const;

export const REDACTED = '[redacted]';

/** Redaction paths: every secret key at depth 0, 1 and 2, plus the usual request header spots. */
export const REDACT_PATHS: readonly string[] = [
  ...SECRET_KEYS.flatMap((k) => [segment(k).replace(/^\./, ''), `*${segment(k)}`, `*.*${segment(k)}`]),
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
];

function segment(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `["${key}"]`;
}

export interface LoggerOpts {
  service: string;
  level?: string;
  /** Where lines go; stdout when omitted. Tests pass a stream to read the output. */
  destination?: DestinationStream;
  /** Extra fields on every line (e.g. `{ version }`). */
  base?: Record<string, unknown>;
}

/**
 * JSON logger for every service: ISO timestamps, level names, secrets redacted, and the active
 * OpenTelemetry span's `trace_id`/`span_id` on each line so logs join traces.
 */
export function createLogger(opts: LoggerOpts): Logger {
  const options: LoggerOptions = {
    level: opts.level ?? 'info',
    base: { service: opts.service, ...opts.base },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: [...REDACT_PATHS], censor: REDACTED },
    mixin: traceFields,
  };
  return opts.destination ? pino(options, opts.destination) : pino(options);
}

/** The active span's ids, or nothing when no span is recording in this async context. */
export function traceFields(): Record<string, string> {
  const span = trace.getSpan(context.active());
  if (!span) return {};
  const sc = span.spanContext();
  if (!isSpanContextValid(sc)) return {};
  return {
    trace_id: sc.traceId,
    span_id: sc.spanId,
    trace_flags: `0${sc.traceFlags.toString(16)}`.slice(-2),
  };
}
