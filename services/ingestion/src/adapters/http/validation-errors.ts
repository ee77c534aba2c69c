import { IngestionError, type Problem } from '../../errors';

/** The parts of an ajv error this module reads (fastify's FastifySchemaValidationError). */
export interface SchemaError {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message?: string;
  propertyName?: string;
}

const escapeToken = (token: string) => token.replaceAll('~', '~0').replaceAll('/', '~1');
const child = (pointer: string, token: unknown) => `${pointer}/${escapeToken(String(token))}`;

interface Located extends Problem {
  unknownType: boolean;
  batchTooLarge: boolean;
}

function locate(error: SchemaError): Located | undefined {
  const at = error.instancePath;
  const plain = (pointer: string, detail: string) => ({
    pointer,
    detail,
    unknownType: false,
    batchTooLarge: false,
  });
  switch (error.keyword) {
    case 'if':
      // Reported next to the errors of the branch that applied; adds nothing.
      return undefined;
    case 'required':
      return plain(child(at, error.params.missingProperty), 'is required');
    case 'additionalProperties':
      return plain(child(at, error.params.additionalProperty), 'is not a known field');
    case 'discriminator':
      if (error.params.error === 'mapping') {
        return {
          pointer: child(at, 'type'),
          detail: `unknown event type ${JSON.stringify(error.params.tagValue)}`,
          unknownType: true,
          batchTooLarge: false,
        };
      }
      // A missing type is already reported by `required`.
      if (error.params.tagValue === undefined) return undefined;
      return plain(child(at, 'type'), 'must be a string naming an event type');
    case 'propertyNames':
      return plain(child(at, error.params.propertyName), 'property name is not valid');
    case 'maxItems':
      return { ...plain(at, error.message ?? 'has too many items'), batchTooLarge: at === '/events' };
    default:
      return plain(
        error.propertyName === undefined ? at : child(at, error.propertyName),
        error.message ?? `fails ${error.keyword}`,
      );
  }
}

/**
 * Turns ajv's errors into one IngestionError listing every problem with a JSON pointer. A batch over
 * the limit is 413; a body whose only problems are unknown event types is 422; anything else is 400.
 */
export function schemaErrorToIngestionError(errors: readonly SchemaError[]): IngestionError {
  const seen = new Set<string>();
  const located: Located[] = [];
  for (const error of errors) {
    const problem = locate(error);
    if (problem === undefined) continue;
    const key = `${problem.pointer} ${problem.detail}`;
    if (seen.has(key)) continue;
    seen.add(key);
    located.push(problem);
  }
  const problems: Problem[] = located.map(({ pointer, detail }) => ({ pointer, detail }));
  if (located.some((p) => p.batchTooLarge)) {
    return new IngestionError('ING_ERR_BATCH_TOO_LARGE', 'a batch holds at most 500 events', problems);
  }
  if (located.length > 0 && located.every((p) => p.unknownType)) {
    return new IngestionError(
      'ING_ERR_UNKNOWN_EVENT_TYPE',
      'the body names an event type this API does not know',
      problems,
    );
  }
  return new IngestionError(
    'ING_ERR_INVALID_EVENT',
    `the body has ${problems.length} problem${problems.length === 1 ? '' : 's'}`,
    problems,
  );
}
