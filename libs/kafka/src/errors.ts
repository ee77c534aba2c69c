/** Stable error codes of the Kafka library; services map them to HTTP/gRPC status in one place. */
export type KafkaErrorCode =
  | 'KAFKA_ERR_UNAVAILABLE'
  | 'KAFKA_ERR_BUFFER_FULL'
  | 'KAFKA_ERR_PRODUCE_FAILED'
  | 'KAFKA_ERR_TXN_FAILED'
  | 'KAFKA_ERR_ADMIN_FAILED'
  | 'KAFKA_ERR_CLOSED'
  | 'KAFKA_ERR_START_FAILED'
  | 'KAFKA_ERR_INVALID_OPTIONS';

export class KafkaLibError extends Error {
  constructor(
    readonly code: KafkaErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'KafkaLibError';
  }
}

/** The broker could not be reached or did not answer in time. */
export class KafkaUnavailableError extends KafkaLibError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('KAFKA_ERR_UNAVAILABLE', message, options);
    this.name = 'KafkaUnavailableError';
  }
}

/** The producer's bounded buffer is full: the caller should shed load (ingestion answers 503). */
export class BufferFullError extends KafkaLibError {
  constructor(message: string) {
    super('KAFKA_ERR_BUFFER_FULL', message);
    this.name = 'BufferFullError';
  }
}

/** A consume-transform-produce transaction failed and was aborted; the batch will be re-read. */
export class TransactionFailedError extends KafkaLibError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('KAFKA_ERR_TXN_FAILED', message, options);
    this.name = 'TransactionFailedError';
  }
}

/** kafkajs error names that mean "no broker answered", as opposed to a broker refusing the request. */
const UNAVAILABLE_NAMES = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSBrokerNotFound',
  'KafkaJSNumberOfRetriesExceeded',
  'KafkaJSMetadataNotLoaded',
  'KafkaJSTopicMetadataNotLoaded',
  'KafkaJSLockTimeout',
  'KafkaJSTimeout',
  'KafkaJSGroupCoordinatorNotFound',
]);

/** True when a kafkajs error (or its cause chain) says the cluster could not be reached. */
export function isUnavailable(err: unknown): boolean {
  let current: unknown = err;
  for (let depth = 0; current instanceof Error && depth < 5; depth++) {
    if (UNAVAILABLE_NAMES.has(current.name)) return true;
    if (/disconnected|ECONNREFUSED|ETIMEDOUT|EHOSTUNREACH|Connection timeout/i.test(current.message))
      return true;
    const next = (current as { originalError?: unknown; cause?: unknown }).originalError ?? current.cause;
    current = next;
  }
  return false;
}

/** Wraps any failure of a produce call in a coded error (idempotent for errors already coded). */
export function toProduceError(err: unknown): KafkaLibError {
  if (err instanceof KafkaLibError) return err;
  const message = err instanceof Error ? err.message : String(err);
  if (isUnavailable(err)) return new KafkaUnavailableError(`Kafka unavailable: ${message}`, { cause: err });
  return new KafkaLibError('KAFKA_ERR_PRODUCE_FAILED', `produce failed: ${message}`, { cause: err });
}

/** Wraps a start-up failure (connect, subscribe, join) in a coded error. */
export function toStartError(what: string, err: unknown): KafkaLibError {
  if (err instanceof KafkaLibError) return err;
  const message = `${what}: ${err instanceof Error ? err.message : String(err)}`;
  if (isUnavailable(err)) return new KafkaUnavailableError(message, { cause: err });
  return new KafkaLibError('KAFKA_ERR_START_FAILED', message, { cause: err });
}
