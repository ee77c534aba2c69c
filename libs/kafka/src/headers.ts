import type { IHeaders } from 'kafkajs';

/** Kafka header values to strings (UTF-8); a repeated header keeps its last value. */
export function decodeHeaders(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers) return out;
  for (const [name, raw] of Object.entries(headers)) {
    const value = Array.isArray(raw) ? raw[raw.length - 1] : raw;
    if (value === undefined) continue;
    out[name] = typeof value === 'string' ? value : value.toString('utf8');
  }
  return out;
}

/** String headers as kafkajs sends them (empty names dropped: Kafka rejects them). */
export function encodeHeaders(headers: Record<string, string>): IHeaders {
  const out: IHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name.length > 0) out[name] = value;
  }
  return out;
}
