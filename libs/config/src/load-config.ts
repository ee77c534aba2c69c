import type { z } from 'zod';
import { ConfigError, type ConfigProblem } from './config-error';
import { findEnvMeta, layers } from './env-meta';

export type EnvSource = Record<string, string | undefined>;

/**
 * Parses the environment once against `schema` (an object whose keys are variable names, optionally piped
 * through a transform), checks cross-field rules, and returns the result deep-frozen. Empty values count as
 * unset so that `FOO=` in a compose file falls back to the default. Throws `ConfigError` listing every
 * problem. The config module is the only place that reads `process.env`.
 */
export function loadConfig<S extends z.ZodType>(
  schema: S,
  source: EnvSource = process.env,
): Readonly<z.output<S>> {
  const input = withoutBlanks(source);
  const result = schema.safeParse(input);
  const problems = [...requiredWithProblems(schema, input)];
  if (!result.success) problems.unshift(...issueProblems(result.error.issues, input));
  if (problems.length > 0 || !result.success) throw new ConfigError(mergeByVariable(problems));
  return deepFreeze(result.data);
}

/** The variables (shape) of a config schema, looking through pipes and wrappers. */
export function configShape(schema: z.core.$ZodType): Record<string, z.core.$ZodType> {
  for (const s of layers(schema)) {
    const def = s._zod.def as unknown as { type: string; shape?: Record<string, z.core.$ZodType> };
    if (def.type === 'object' && def.shape) return def.shape;
  }
  throw new TypeError('a config schema must be a zod object keyed by variable name (optionally transformed)');
}

function withoutBlanks(source: EnvSource): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(source)) {
    if (v !== undefined && v.trim() !== '') out[k] = v;
  }
  return out;
}

function issueProblems(issues: readonly z.core.$ZodIssue[], input: Record<string, string>): ConfigProblem[] {
  return issues.map((issue) => {
    const head = issue.path[0];
    const variable = typeof head === 'string' ? head : '(configuration)';
    const unset = typeof head === 'string' && input[head] === undefined;
    const problem = unset && issue.code === 'invalid_type' ? 'is required but not set' : issue.message;
    return { variable, problem };
  });
}

function requiredWithProblems(schema: z.core.$ZodType, input: Record<string, string>): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const [name, field] of Object.entries(configShape(schema))) {
    const triggers = findEnvMeta(field)?.requiredWith ?? [];
    const setBy = triggers.filter((t) => input[t] !== undefined);
    if (input[name] === undefined && setBy.length > 0) {
      problems.push({ variable: name, problem: `is required when ${setBy.join(', ')} is set` });
    }
  }
  return problems;
}

function mergeByVariable(problems: ConfigProblem[]): ConfigProblem[] {
  const byVar = new Map<string, string[]>();
  for (const p of problems) {
    const list = byVar.get(p.variable) ?? [];
    if (!list.includes(p.problem)) list.push(p.problem);
    byVar.set(p.variable, list);
  }
  return [...byVar].map(([variable, list]) => ({ variable, problem: list.join('; ') }));
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
