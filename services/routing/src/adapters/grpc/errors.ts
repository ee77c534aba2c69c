import { AppError, Status } from '@switchboard/grpc';
import { KafkaLibError } from '@switchboard/kafka';

/**
 * The one place routing failures become gRPC statuses: AppErrors pass through, Kafka outages and
 * overload are UNAVAILABLE (retry), a slow stream is RESOURCE_EXHAUSTED, anything else INTERNAL.
 */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const code = (err as { code?: unknown } | undefined)?.code;
  if (err instanceof KafkaLibError && (code === 'KAFKA_ERR_UNAVAILABLE' || code === 'KAFKA_ERR_BUFFER_FULL'))
    return new AppError(Status.UNAVAILABLE, 'RTG_ERR_UNAVAILABLE', 'the command log is unavailable; retry', {
      cause: err,
    });
  if (code === 'RTG_ERR_STREAM_OVERFLOW')
    return new AppError(Status.RESOURCE_EXHAUSTED, 'RTG_ERR_STREAM_OVERFLOW', (err as Error).message, {
      cause: err,
    });
  return new AppError(Status.INTERNAL, 'RTG_ERR_INTERNAL', 'internal error', { cause: err });
}
