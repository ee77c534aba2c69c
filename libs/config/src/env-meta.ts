import { z } from 'zod';

/** What the configuration reference needs to know about a variable beyond its zod schema. */
export interface EnvMeta {
  /** Human name of the accepted format, e.g. `port`, `duration`, `list`. */
  readonly type: string;
  /** Never print the value (passwords, URLs with credentials). */
  readonly secret?: boolean;
  /** This variable must be set when any of these variables is set (cross-field rule). */
  readonly requiredWith?: readonly string[];
}

/** Registry of env-variable metadata; zod copies registry entries onto clones (`.default()`, `.describe()`). */
export const envRegistry = z.registry<EnvMeta>();

/** Attach (or extend) env metadata on a schema and return the same schema. */
export function withEnvMeta<S extends z.ZodType>(schema: S, meta: Partial<EnvMeta>): S {
  const current = findEnvMeta(schema);
  envRegistry.add(schema, { type: current?.type ?? 'string', ...current, ...meta });
  return schema;
}

/** Marks a variable as secret: `describeConfig` flags it and `redactConfig` hides its value. */
export function secret<S extends z.ZodType>(schema: S): S {
  return withEnvMeta(schema, { secret: true });
}

/**
 * Declares that `schema`'s variable is required whenever one of `others` is set. Kept as metadata on the
 * field rather than an object refinement so that fragments still compose with spread and `.extend()`.
 */
export function requiredWith<S extends z.ZodType>(schema: S, ...others: string[]): S {
  return withEnvMeta(schema, { requiredWith: others });
}

/** Looks through wrappers (default, optional, pipe, ...) for the nearest env metadata. */
export function findEnvMeta(schema: z.core.$ZodType): EnvMeta | undefined {
  for (const s of layers(schema)) {
    const meta = envRegistry.get(s);
    if (meta) return meta;
  }
  return undefined;
}

/** The schema and the schemas it wraps, outermost first. */
export function layers(schema: z.core.$ZodType): z.core.$ZodType[] {
  const out: z.core.$ZodType[] = [];
  let s: z.core.$ZodType | undefined = schema;
  while (s && out.length < 32) {
    out.push(s);
    s = inner(s);
  }
  return out;
}

function inner(schema: z.core.$ZodType): z.core.$ZodType | undefined {
  const def = schema._zod.def as unknown as Record<string, unknown>;
  switch (def.type) {
    case 'default':
    case 'prefault':
    case 'optional':
    case 'nullable':
    case 'nonoptional':
    case 'readonly':
    case 'catch':
      return def.innerType as z.core.$ZodType;
    case 'pipe':
      return def.in as z.core.$ZodType;
    default:
      return undefined;
  }
}
