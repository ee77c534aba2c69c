import type { Envelope } from '@switchboard/contracts';

export interface KafkaConfig {
  brokers: string[];
  clientId: string;
  ssl?: boolean;
  sasl?: { mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; username: string; password: string };
  /** TCP connect timeout per broker (default 3000 ms). */
  connectionTimeoutMs?: number;
}

export interface TopicSpec {
  topic: string;
  partitions: number;
  /** `cleanup.policy=compact` (latest value per key). */
  compacted?: boolean;
  /** `retention.ms`; -1 keeps forever. */
  retentionMs?: number;
  /** Default 1 (single-broker dev clusters); production sets 3. */
  replicationFactor?: number;
  /** Any further topic configs, for example `{ 'min.insync.replicas': '2' }`. */
  configs?: Record<string, string>;
}

export interface TopicAdmin {
  /** Creates the missing topics; existing ones are left as they are. Returns the names it created. */
  ensureTopics(topics: TopicSpec[]): Promise<string[]>;
  deleteTopics(topics: string[]): Promise<void>;
  listTopics(): Promise<string[]>;
  /** The group's committed offsets of a topic (next offset to read), per partition; partitions without one are absent. */
  committedOffsets(groupId: string, topic: string): Promise<Record<number, string>>;
  disconnect(): Promise<void>;
}

export interface ProducerOptions {
  /** How long a lone send waits for others to share its request (default 2 ms). */
  lingerMs?: number;
  /** Messages per produce request before it goes out without lingering (default 1000). */
  maxBatchMessages?: number;
  /** Queued plus in-flight messages; beyond it send() rejects with KAFKA_ERR_BUFFER_FULL (default 50 000). */
  maxBufferedMessages?: number;
  /** A send not acknowledged within this time rejects with KAFKA_ERR_UNAVAILABLE (default 5000 ms). */
  requestTimeoutMs?: number;
}

export interface EnvelopeProducer {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  isConnected(): boolean;
  /**
   * Resolves once every envelope is acknowledged by all in-sync replicas (acks=all); rejects otherwise
   * (KafkaUnavailableError KAFKA_ERR_UNAVAILABLE when the broker cannot be reached in time, BufferFullError
   * KAFKA_ERR_BUFFER_FULL when the bound is reached). Key = envelope.tenantId. Adds the W3C trace context
   * of the active OpenTelemetry context to the headers. The envelopes of one call go in one produce request.
   */
  send(topic: string, envelopes: Envelope[], headers?: Record<string, string>): Promise<void>;
  sendRaw(topic: string, messages: RawMessage[]): Promise<void>;
}

export interface RawMessage {
  key: string | Buffer | null;
  value: Buffer | null;
  headers?: Record<string, string>;
}

export interface TopicPartition {
  topic: string;
  partition: number;
}

export interface ConsumerOptions {
  groupId: string;
  topics: string[];
  /** Where a group without committed offsets starts (default false: only new messages). */
  fromBeginning?: boolean;
  /** Default true: transactional messages are seen only once committed. */
  readCommitted?: boolean;
  /** Default Topics.deadLetter. */
  deadLetterTopic?: string;
  /**
   * Default true: offsets are committed to the group after each handled batch. False when the service
   * stores offsets itself (analytics keeps them in PostgreSQL and seeks on assignment).
   */
  autoCommit?: boolean;
  /** Awaited before the first batch of a new assignment is handled; may call seek(). */
  onPartitionsAssigned?(parts: TopicPartition[]): Promise<void>;
  onPartitionsRevoked?(parts: TopicPartition[]): Promise<void>;
  /** A member silent this long is dropped from the group (default 30 000 ms, broker minimum 6000). */
  sessionTimeoutMs?: number;
  /**
   * Partition batches handled at the same time (kafkajs `partitionsConsumedConcurrently`, default 1).
   * The handler may then run for several partitions at once (never twice for the same partition).
   */
  partitionsConsumedConcurrently?: number;
}

export interface ConsumedEnvelope {
  topic: string;
  partition: number;
  offset: string;
  key: string;
  envelope: Envelope;
  headers: Record<string, string>;
}

export type BatchHandler = (batch: ConsumedEnvelope[], ctx: TopicPartition) => Promise<void>;

export interface EnvelopeConsumer {
  /**
   * Starts consuming. Decodes every message; an undecodable/invalid one is published to the dead-letter
   * topic with headers `dlq.reason`, `dlq.error-code`, `dlq.topic`, `dlq.partition`, `dlq.offset`,
   * counted, and skipped. The handler runs inside a CONSUMER span whose parent is the producer's trace
   * context. A handler failure re-delivers the batch (at least once). Resolves once the group is joined.
   */
  run(handler: BatchHandler): Promise<void>;
  /** Next fetch of that partition starts at `offset` (only for partitions currently assigned). */
  seek(position: TopicPartition & { offset: string }): void;
  stop(): Promise<void>;
}

export interface TransactionalOutput {
  topic: string;
  envelope: Envelope;
}

export interface TransactionalLoopOptions {
  groupId: string;
  inputTopics: string[];
  transactionalIdPrefix: string;
  /**
   * Decides on one batch of one input partition; returns the output envelopes (with their topics). The
   * outputs and the input offsets are committed in ONE Kafka transaction (transactional id
   * `${prefix}-${topic}-${partition}`). A throw aborts the transaction and the batch is re-read.
   */
  process(batch: ConsumedEnvelope[], ctx: TopicPartition): Promise<TransactionalOutput[]>;
  onPartitionsAssigned?(parts: TopicPartition[]): Promise<void>;
  onPartitionsRevoked?(parts: TopicPartition[]): Promise<void>;
  /** Called after a transaction was aborted (the batch will be re-read after a back-off). */
  onError?(err: Error, ctx: TopicPartition): void;
  /** Where a group without committed offsets starts (default true: a processor reads its whole input). */
  fromBeginning?: boolean;
  /** Default Topics.deadLetter. */
  deadLetterTopic?: string;
  /** Input partitions processed in parallel, each with its own producer (default 4). */
  partitionsConsumedConcurrently?: number;
  /** Broker aborts a transaction left open this long by a dead owner (default 30 000 ms). */
  transactionTimeoutMs?: number;
  /** A member silent this long loses its partitions (default 30 000 ms, broker minimum 6000). */
  sessionTimeoutMs?: number;
}

export interface TransactionalLoop {
  /** Joins the group and starts processing; resolves once the consumer runs. */
  start(): Promise<void>;
  /** Stops after the batch in progress, closes every per-partition producer. */
  stop(): Promise<void>;
}

export interface ReadToEndOptions {
  topic: string;
  /** Partitions to read; every partition by default. */
  partitions?: number[];
  /** First offset per partition; the earliest retained one when absent. */
  fromOffsets?: Record<number, string>;
  /** Default true: only committed transactional records, up to the last stable offset. */
  readCommitted?: boolean;
  /** Called in offset order per partition; awaited before the next batch of that partition. */
  onBatch(batch: ConsumedEnvelope[], partition: number): Promise<void> | void;
}

export interface ReadToEndResult {
  /** Per partition, the offset read up to (exclusive): where a live consumer continues. */
  endOffsets: Record<number, string>;
  read: number;
  /** Undecodable records that were skipped (logged). */
  invalid: number;
}

export interface SwitchboardKafka {
  admin(): TopicAdmin;
  /** Reads partitions from offsets up to their end at call time (changelog replay, compacted topics). */
  readToEnd(opts: ReadToEndOptions): Promise<ReadToEndResult>;
  producer(opts?: ProducerOptions): EnvelopeProducer;
  consumer(opts: ConsumerOptions): EnvelopeConsumer;
  transactionalLoop(opts: TransactionalLoopOptions): TransactionalLoop;
}
