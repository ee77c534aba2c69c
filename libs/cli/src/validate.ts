import Ajv2020, { type ErrorObject } from 'ajv/dist/2020';
import schema from '../schema/tenant-config.schema.json';
import type { ConfigProblem } from './problems';

const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
const validateSchema = ajv.compile(schema);

function describe(error: ErrorObject): ConfigProblem {
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'additionalProperties') {
    return {
      path: `${error.instancePath}/${String(params.additionalProperty)}`,
      message: 'is not a known field',
    };
  }
  if (error.keyword === 'required') {
    return { path: `${error.instancePath}/${String(params.missingProperty)}`, message: 'is required' };
  }
  if (error.keyword === 'enum') {
    return {
      path: error.instancePath,
      message: `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`,
    };
  }
  return { path: error.instancePath, message: error.message ?? error.keyword };
}

/** Checks the shape of a configuration document against the JSON Schema; every problem is listed. */
export function schemaProblems(doc: unknown): ConfigProblem[] {
  if (validateSchema(doc)) return [];
  const seen = new Set<string>();
  const problems: ConfigProblem[] = [];
  for (const error of validateSchema.errors ?? []) {
    const problem = describe(error);
    const key = `${problem.path}\u0000${problem.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      problems.push(problem);
    }
  }
  return problems;
}
