export { topicConfigs } from './admin';
export { diffAssignment, flattenAssignment, nextOffset, partitionKey } from './assignment';
export { type BatchCall, Batcher, type BatcherOptions } from './batcher';
export { assignPartition, CoPartitionedAssigner } from './co-partitioned-assigner';
export { buildDeadLetter, DeadLetterHeaders, type DeadLetterMessage } from './dead-letter';
export { type DecodeResult, decodeMessage } from './decode';
export {
  BufferFullError,
  isUnavailable,
  type KafkaErrorCode,
  KafkaLibError,
  KafkaUnavailableError,
  TransactionFailedError,
  toProduceError,
  toStartError,
} from './errors';
export { decodeHeaders, encodeHeaders } from './headers';
export { createKafka } from './kafka';
export { PRODUCER_DEFAULTS } from './producer';
export { realScheduler, type Scheduler } from './scheduler';
export { transactionalId } from './transactional-loop';
export type * from './types';
