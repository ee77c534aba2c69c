import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ErrorCatalogue, IngestionError, type Problem } from '../../errors';
import { schemaErrorToIngestionError } from './validation-errors';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

/** RFC 9457 problem document with our stable code and, for bad bodies, every problem located. */
export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  instance: string;
  errors?: Problem[];
}

const FASTIFY_CODES: Record<string, IngestionError['code']> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'ING_ERR_MALFORMED_JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'ING_ERR_MALFORMED_JSON',
  FST_ERR_CTP_BODY_TOO_LARGE: 'ING_ERR_BODY_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'ING_ERR_UNSUPPORTED_MEDIA_TYPE',
};

/** Every failure, ours or fastify's, as an IngestionError: the one place errors meet HTTP statuses. */
export function toIngestionError(error: FastifyError | Error): IngestionError {
  if (error instanceof IngestionError) return error;
  const fastifyError = error as FastifyError;
  if (fastifyError.validation !== undefined) return schemaErrorToIngestionError(fastifyError.validation);
  const mapped = fastifyError.code === undefined ? undefined : FASTIFY_CODES[fastifyError.code];
  if (mapped !== undefined) return new IngestionError(mapped, fastifyError.message);
  // JSON.parse failures that reach us without fastify's code (e.g. prototype poisoning).
  if (error instanceof SyntaxError)
    return new IngestionError('ING_ERR_MALFORMED_JSON', 'the body is not valid JSON');
  const status = fastifyError.statusCode ?? 500;
  if (status >= 400 && status < 500) return new IngestionError('ING_ERR_BAD_REQUEST', fastifyError.message);
  return new IngestionError('ING_ERR_INTERNAL', 'unexpected error; the events were not accepted', [], {
    cause: error,
  });
}

export function problemDocument(error: IngestionError, instance: string): ProblemDocument {
  const doc: ProblemDocument = {
    type: `urn:switchboard:problem:${error.code}`,
    title: ErrorCatalogue[error.code].title,
    status: error.statusCode,
    code: error.code,
    detail: error.message,
    instance,
  };
  if (error.problems.length > 0) doc.errors = error.problems;
  return doc;
}

export function sendProblem(
  request: FastifyRequest,
  reply: FastifyReply,
  error: IngestionError,
): FastifyReply {
  if (error.retryAfterSeconds !== undefined) reply.header('retry-after', String(error.retryAfterSeconds));
  if (error.code === 'ING_ERR_UNAUTHENTICATED')
    reply.header('www-authenticate', 'Bearer realm="switchboard"');
  return reply
    .code(error.statusCode)
    .type(PROBLEM_CONTENT_TYPE)
    .send(problemDocument(error, request.url.split('?')[0] ?? '/'));
}
