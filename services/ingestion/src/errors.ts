/**
 * The ingestion error catalogue: every stable code with its HTTP status and title, in one place.
 * Adapters branch on `code`; the title never changes for a code.
 */
export const ErrorCatalogue = {
  ING_ERR_MALFORMED_JSON: { status: 400, title: 'Malformed JSON' },
  ING_ERR_INVALID_EVENT: { status: 400, title: 'Invalid event' },
  ING_ERR_BAD_REQUEST: { status: 400, title: 'Bad request' },
  ING_ERR_UNAUTHENTICATED: { status: 401, title: 'Missing or invalid API key' },
  ING_ERR_CHANNEL_FORBIDDEN: { status: 403, title: 'Channel not allowed for this API key' },
  ING_ERR_NOT_FOUND: { status: 404, title: 'Not found' },
  ING_ERR_BODY_TOO_LARGE: { status: 413, title: 'Body too large' },
  ING_ERR_BATCH_TOO_LARGE: { status: 413, title: 'Batch too large' },
  ING_ERR_UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Unsupported media type' },
  ING_ERR_UNKNOWN_EVENT_TYPE: { status: 422, title: 'Unknown event type' },
  ING_ERR_RATE_LIMITED: { status: 429, title: 'Rate limit exceeded' },
  ING_ERR_INTERNAL: { status: 500, title: 'Internal error' },
  ING_ERR_KAFKA_UNAVAILABLE: { status: 503, title: 'Event log unavailable' },
  ING_ERR_OVERLOADED: { status: 503, title: 'Too many events in flight' },
  ING_ERR_SHUTTING_DOWN: { status: 503, title: 'Shutting down' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof ErrorCatalogue;

/** One problem inside a request, located by a JSON pointer (RFC 6901) into the body. */
export interface Problem {
  pointer: string;
  detail: string;
}

export interface IngestionErrorOptions {
  /** Seconds the client should wait before retrying (429, 503). */
  retryAfterSeconds?: number;
  /** The internal failure behind it: logged, never sent to the client. */
  cause?: unknown;
}

export class IngestionError extends Error {
  readonly statusCode: number;
  readonly retryAfterSeconds: number | undefined;

  constructor(
    readonly code: ErrorCode,
    detail: string,
    readonly problems: Problem[] = [],
    options: IngestionErrorOptions = {},
  ) {
    super(detail, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'IngestionError';
    this.statusCode = ErrorCatalogue[code].status;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}
