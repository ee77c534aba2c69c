import { setTimeout as sleep } from 'node:timers/promises';
import { propagation } from '@opentelemetry/api';
import { Topics } from '@switchboard/contracts';
import type { Admin, Consumer, EachBatchPayload, Kafka, Message, Producer, Transaction } from 'kafkajs';
import { Partitioners } from 'kafkajs';
import type { Logger } from 'pino';
import { nextOffset, partitionKey } from './assignment';
import { CoPartitionedAssigner } from './co-partitioned-assigner';
import type { DeadLetterMessage } from './dead-letter';
import { decodeMessage } from './decode';
import { KafkaLibError, TransactionFailedError, toStartError } from './errors';
import { GroupAssignment, sessionTimeouts } from './group-assignment';
import { encodeHeaders } from './headers';
import type { KafkaMetrics } from './metrics';
import { envelopeBuffer } from './producer';
import { inSpan, startConsumerSpan } from './tracing';
import type {
  ConsumedEnvelope,
  TopicPartition,
  TransactionalLoop,
  TransactionalLoopOptions,
  TransactionalOutput,
} from './types';

/** Messages per produce request inside a transaction. */
const SEND_SLICE = 1000;
/** Transaction attempts for one batch (same outputs) before the partition is reset. */
const TXN_ATTEMPTS = 3;
const MAX_BACKOFF_MS = 5000;

interface PartitionState {
  tp: TopicPartition;
  producer: Producer | undefined;
  /** False until the producer is initialised (fencing) and the position re-read from committed offsets. */
  ready: boolean;
  failures: number;
}

/** The transactional id of one input partition: the unit of zombie fencing. */
export function transactionalId(prefix: string, tp: TopicPartition): string {
  return `${prefix}-${tp.topic}-${tp.partition}`;
}

/** Output and dead-letter records of one batch, grouped per topic for one sendBatch. */
export function transactionRecords(
  outputs: TransactionalOutput[],
  deadLetters: DeadLetterMessage[],
  deadLetterTopic: string,
  headers: Record<string, string>,
): { topic: string; messages: Message[] }[] {
  const byTopic = new Map<string, Message[]>();
  const push = (topic: string, message: Message) => {
    const list = byTopic.get(topic);
    if (list) list.push(message);
    else byTopic.set(topic, [message]);
  };
  const kafkaHeaders = encodeHeaders(headers);
  for (const { topic, envelope } of outputs) {
    push(topic, { key: envelope.tenantId, value: envelopeBuffer(envelope), headers: kafkaHeaders });
  }
  for (const dl of deadLetters) {
    push(deadLetterTopic, { key: dl.key, value: dl.value, headers: encodeHeaders(dl.headers) });
  }
  return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
}

/** Splits per-topic records into consecutive slices of at most `size` messages, keeping their order. */
export function sliceRecords(
  records: { topic: string; messages: Message[] }[],
  size: number,
): { topic: string; messages: Message[] }[][] {
  const slices: { topic: string; messages: Message[] }[][] = [];
  let current: { topic: string; messages: Message[] }[] = [];
  let count = 0;
  for (const { topic, messages } of records) {
    for (let i = 0; i < messages.length; ) {
      const take = Math.min(size - count, messages.length - i);
      current.push({ topic, messages: messages.slice(i, i + take) });
      count += take;
      i += take;
      if (count === size) {
        slices.push(current);
        current = [];
        count = 0;
      }
    }
  }
  if (current.length > 0) slices.push(current);
  return slices;
}

/**
 * Consume-transform-produce with one Kafka transaction per input batch. Each input partition has its
 * own transactional producer (`${prefix}-${topic}-${partition}`): creating it (InitProducerId) fences
 * any older owner of that partition and settles its open transaction, and only then is the committed
 * offset read and the partition positioned there. So the outputs of every input offset are committed
 * exactly once, even across crashes and rebalances.
 */
export class KafkajsTransactionalLoop implements TransactionalLoop {
  private readonly consumer: Consumer;
  private readonly admin: Admin;
  private readonly assignment: GroupAssignment;
  private readonly partitions = new Map<string, PartitionState>();
  private readonly deadLetterTopic: string;
  private started = false;

  constructor(
    private readonly kafka: Kafka,
    private readonly logger: Logger,
    private readonly metrics: KafkaMetrics,
    private readonly opts: TransactionalLoopOptions,
  ) {
    if (opts.inputTopics.length === 0) {
      throw new KafkaLibError('KAFKA_ERR_INVALID_OPTIONS', 'transactional loop needs input topics');
    }
    this.deadLetterTopic = opts.deadLetterTopic ?? Topics.deadLetter;
    this.admin = kafka.admin();
    this.consumer = kafka.consumer({
      groupId: opts.groupId,
      readUncommitted: false,
      allowAutoTopicCreation: false,
      // one owner per partition number across all input topics: a processor's state is per partition
      partitionAssigners: [CoPartitionedAssigner],
      maxWaitTimeInMs: 100,
      ...sessionTimeouts(opts.sessionTimeoutMs),
    });
    this.assignment = new GroupAssignment(
      {
        onAssigned: async (parts) => {
          for (const tp of parts) this.stateOf(tp);
          await opts.onPartitionsAssigned?.(parts);
        },
        onRevoked: async (parts) => {
          await Promise.all(parts.map((tp) => this.release(tp)));
          await opts.onPartitionsRevoked?.(parts);
        },
      },
      logger,
    );
    this.consumer.on(this.consumer.events.GROUP_JOIN, (e) =>
      this.assignment.onGroupJoin(e.payload.memberAssignment),
    );
    this.consumer.on(this.consumer.events.CRASH, (e) =>
      logger.error(
        { err: e.payload.error, groupId: opts.groupId, restart: e.payload.restart },
        'kafka loop consumer crashed',
      ),
    );
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    try {
      await this.admin.connect();
      await this.consumer.connect();
      await this.consumer.subscribe({
        topics: this.opts.inputTopics,
        fromBeginning: this.opts.fromBeginning ?? true,
      });
      await this.consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: this.opts.partitionsConsumedConcurrently ?? 4,
        eachBatch: (payload) => this.onBatch(payload),
      });
    } catch (err) {
      this.started = false;
      throw toStartError(`transactional loop ${this.opts.groupId} failed to start`, err);
    }
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    await this.consumer.stop();
    await this.consumer.disconnect();
    await this.assignment.revokeAll();
    await Promise.all([...this.partitions.values()].map((s) => this.release(s.tp)));
    await this.admin.disconnect();
  }

  private stateOf(tp: TopicPartition): PartitionState {
    const key = partitionKey(tp);
    let state = this.partitions.get(key);
    if (!state) {
      state = { tp, producer: undefined, ready: false, failures: 0 };
      this.partitions.set(key, state);
    }
    return state;
  }

  private async release(tp: TopicPartition): Promise<void> {
    const key = partitionKey(tp);
    const state = this.partitions.get(key);
    this.partitions.delete(key);
    await this.closeProducer(state);
  }

  private async closeProducer(state: PartitionState | undefined): Promise<void> {
    const producer = state?.producer;
    if (!state || !producer) return;
    state.producer = undefined;
    state.ready = false;
    await producer
      .disconnect()
      .catch((err: unknown) => this.logger.warn({ err }, 'closing txn producer failed'));
  }

  /** Creates the partition's producer (fencing older owners), then returns the committed offset. */
  private async prepare(state: PartitionState): Promise<string | undefined> {
    const producer = this.kafka.producer({
      transactionalId: transactionalId(this.opts.transactionalIdPrefix, state.tp),
      transactionTimeout: this.opts.transactionTimeoutMs ?? 30_000,
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    state.producer = producer;
    await producer.connect(); // InitProducerId: bumps the epoch, aborts or completes the old transaction
    const [offsets] = await this.admin.fetchOffsets({ groupId: this.opts.groupId, topics: [state.tp.topic] });
    const committed = offsets?.partitions.find((p) => p.partition === state.tp.partition)?.offset;
    return committed !== undefined && BigInt(committed) >= 0n ? committed : undefined;
  }

  private async onBatch(payload: EachBatchPayload): Promise<void> {
    const { batch, resolveOffset, heartbeat, isRunning, isStale } = payload;
    await this.assignment.settled();
    const tp = { topic: batch.topic, partition: batch.partition };
    if (!isRunning() || isStale() || !this.assignment.holds(tp)) return;
    const state = this.stateOf(tp);
    if (!state.ready) {
      let committed: string | undefined;
      try {
        committed = await this.prepare(state);
      } catch (err) {
        await this.fail(state, err, 'preparing partition failed');
        return;
      }
      state.ready = true;
      // Re-read from what the last owner committed (this batch was fetched before the fencing).
      if (committed !== undefined) {
        this.consumer.seek({ ...tp, offset: committed });
        return;
      }
    }

    const valid: ConsumedEnvelope[] = [];
    const dead: DeadLetterMessage[] = [];
    for (const message of batch.messages) {
      const result = decodeMessage(batch.topic, batch.partition, message, this.opts.groupId);
      if (result.ok) valid.push(result.consumed);
      else dead.push(result.deadLetter);
    }

    let outputs: TransactionalOutput[] = [];
    const headers: Record<string, string> = {};
    try {
      if (valid.length > 0) {
        const { span, ctx } = startConsumerSpan(
          batch.topic,
          batch.partition,
          valid.map((c) => c.headers),
        );
        propagation.inject(ctx, headers);
        outputs = await inSpan(span, ctx, () => this.opts.process(valid, tp));
      }
    } catch (err) {
      await this.fail(state, err, 'process() failed');
      return;
    }

    const records = transactionRecords(outputs, dead, this.deadLetterTopic, headers);
    const next = nextOffset(batch.lastOffset());
    try {
      await this.commitBatch(state, records, next);
    } catch (err) {
      await this.fail(state, err, 'transaction failed');
      return;
    }
    state.failures = 0;
    this.metrics.transactionsCommitted.add(1, { topic: batch.topic });
    if (valid.length > 0) this.metrics.consumed.add(valid.length, { topic: batch.topic });
    if (dead.length > 0) this.metrics.deadLettered.add(dead.length, { topic: batch.topic });
    for (const r of records) this.metrics.produced.add(r.messages.length, { topic: r.topic });
    // sendOffsets does not move the fetch position when eachBatchAutoResolve is false.
    resolveOffset(batch.lastOffset());
    await heartbeat();
  }

  /** One transaction: outputs, dead letters and the input offset; retried with the same records. */
  private async commitBatch(
    state: PartitionState,
    records: { topic: string; messages: Message[] }[],
    next: string,
  ): Promise<void> {
    let lastError: unknown;
    for (let attempt = 1; attempt <= TXN_ATTEMPTS; attempt++) {
      const producer = state.producer;
      if (!producer) throw new TransactionFailedError('partition producer is closed');
      let txn: Transaction | undefined;
      try {
        txn = await producer.transaction();
        // kafkajs groups a request's messages per partition in time quadratic in its size: send big
        // outputs in slices (all inside the same transaction, so still atomic and in order).
        for (const slice of sliceRecords(records, SEND_SLICE)) {
          await txn.sendBatch({ acks: -1, topicMessages: slice });
        }
        await txn.sendOffsets({
          consumerGroupId: this.opts.groupId,
          topics: [{ topic: state.tp.topic, partitions: [{ partition: state.tp.partition, offset: next }] }],
        });
        await txn.commit();
        return;
      } catch (err) {
        lastError = err;
        if (txn?.isActive()) await txn.abort().catch(() => undefined);
        this.metrics.transactionsAborted.add(1, { topic: state.tp.topic });
        // Fenced or otherwise fatal: retrying with this producer cannot help.
        if (!isRetriable(err)) break;
        this.logger.warn({ err, ...state.tp, attempt }, 'kafka transaction aborted, retrying');
        await sleep(50 * attempt);
      }
    }
    throw new TransactionFailedError(
      `transaction for ${partitionKey(state.tp)} failed: ${(lastError as Error)?.message ?? lastError}`,
      { cause: lastError },
    );
  }

  /**
   * After a failure the partition starts over as if newly assigned: new producer (fencing), hooks run
   * so the owner can rebuild its state, position re-read from the committed offset. Nothing is skipped.
   */
  private async fail(state: PartitionState, err: unknown, what: string): Promise<void> {
    const error =
      err instanceof TransactionFailedError
        ? err
        : new TransactionFailedError(`${what}: ${(err as Error)?.message ?? err}`, { cause: err });
    state.failures++;
    this.logger.error(
      { err: error, ...state.tp, failures: state.failures, code: error.code },
      `kafka ${what}`,
    );
    this.opts.onError?.(error, state.tp);
    await this.closeProducer(state);
    // Revoked meanwhile: the revoke hook has run already and the partition is someone else's.
    if (this.partitions.get(partitionKey(state.tp)) !== state) return;
    try {
      await this.opts.onPartitionsRevoked?.([state.tp]);
      await this.opts.onPartitionsAssigned?.([state.tp]);
    } catch (hookErr) {
      this.logger.error({ err: hookErr, ...state.tp }, 'kafka partition reset hook failed');
    }
    await sleep(Math.min(MAX_BACKOFF_MS, 100 * 2 ** Math.min(state.failures, 6)));
  }
}

function isRetriable(err: unknown): boolean {
  const e = err as { retriable?: boolean; type?: string; name?: string; message?: string } | undefined;
  if (!e) return false;
  if (e.type === 'CONCURRENT_TRANSACTIONS' || /another operation|concurrent/i.test(e.message ?? ''))
    return true;
  if (
    e.type === 'PRODUCER_FENCED' ||
    e.type === 'INVALID_PRODUCER_EPOCH' ||
    e.type === 'TRANSACTIONAL_ID_AUTHORIZATION_FAILED'
  ) {
    return false;
  }
  return e.retriable === true;
}
