import { z } from 'zod';
import { findEnvMeta, layers } from './env-meta';
import { configShape } from './load-config';

/** One row of the configuration reference. */
export interface ConfigVariable {
  readonly name: string;
  readonly type: string;
  readonly required: boolean;
  /** The default as it would be written in the environment, when there is one. */
  readonly default?: string;
  readonly description: string;
  readonly secret: boolean;
  readonly requiredWith: readonly string[];
}

/** Lists every variable of a config schema, so that the docs are generated from the code and cannot drift. */
export function describeConfig(schema: z.core.$ZodType): ConfigVariable[] {
  return Object.entries(configShape(schema)).map(([name, field]) => {
    const meta = findEnvMeta(field);
    const def = defaultOf(field);
    return {
      name,
      type: meta?.type ?? 'string',
      required: isRequired(field),
      ...(def === undefined ? {} : { default: def }),
      description: descriptionOf(field),
      secret: meta?.secret ?? false,
      requiredWith: meta?.requiredWith ?? [],
    };
  });
}

/** A Markdown table of `describeConfig` rows, for docs/config.md (padded the way Biome formats tables). */
export function renderConfigTable(rows: readonly ConfigVariable[]): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const header = ['Variable', 'Type', 'Required', 'Default', 'Description'];
  const body = rows.map((r) => {
    const required = r.required
      ? 'yes'
      : r.requiredWith.length > 0
        ? `with ${r.requiredWith.join(', ')}`
        : 'no';
    const notes = [r.description, r.secret ? '(secret: never logged)' : ''].filter(Boolean).join(' ');
    const dflt = r.default === undefined ? '' : `\`${r.default}\``;
    return [`\`${r.name}\``, r.type, required, dflt, notes].map(cell);
  });
  const widths = header.map((h, i) => Math.max(h.length, 3, ...body.map((b) => b[i]?.length ?? 0)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

/** A copy of `config` with the values of secret variables replaced, fit for a start-up log line. */
export function redactConfig<T extends object>(schema: z.core.$ZodType, config: T): Record<string, unknown> {
  const secrets = new Set(
    describeConfig(schema)
      .filter((r) => r.secret)
      .map((r) => r.name),
  );
  return Object.fromEntries(
    Object.entries(config).map(([k, v]) => [k, secrets.has(k) && v !== undefined ? '[redacted]' : v]),
  );
}

function isRequired(field: z.core.$ZodType): boolean {
  const lenient = new Set(['default', 'prefault', 'optional']);
  return !layers(field).some((s) => lenient.has(s._zod.def.type));
}

function defaultOf(field: z.core.$ZodType): string | undefined {
  for (const s of layers(field)) {
    const def = s._zod.def as unknown as { type: string; defaultValue?: unknown };
    if (def.type === 'default' || def.type === 'prefault') return envText(def.defaultValue);
  }
  return undefined;
}

function envText(value: unknown): string {
  return Array.isArray(value) ? value.join(',') : String(value);
}

function descriptionOf(field: z.core.$ZodType): string {
  for (const s of layers(field)) {
    const d = z.globalRegistry.get(s)?.description;
    if (d) return d;
  }
  return '';
}
