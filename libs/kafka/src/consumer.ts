import { Topics } from '@switchboard/contracts';
import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import { nextOffset } from './assignment';
import type { DeadLetterMessage } from './dead-letter';
import { decodeMessage } from './decode';
import { KafkaLibError, toStartError } from './errors';
import { GroupAssignment, sessionTimeouts } from './group-assignment';
import type { KafkaMetrics } from './metrics';
import { inSpan, startConsumerSpan } from './tracing';
import type {
  BatchHandler,
  ConsumedEnvelope,
  ConsumerOptions,
  EnvelopeConsumer,
  EnvelopeProducer,
  TopicPartition,
} from './types';

/** Group consumer of envelopes with dead-lettering; see EnvelopeConsumer. */
export class KafkajsEnvelopeConsumer implements EnvelopeConsumer {
  private readonly consumer: Consumer;
  private readonly assignment: GroupAssignment;
  private readonly deadLetterTopic: string;
  private running = false;

  constructor(
    kafka: Kafka,
    private readonly deadLetters: EnvelopeProducer,
    private readonly logger: Logger,
    private readonly metrics: KafkaMetrics,
    private readonly opts: ConsumerOptions,
  ) {
    if (opts.topics.length === 0)
      throw new KafkaLibError('KAFKA_ERR_INVALID_OPTIONS', 'consumer needs topics');
    const concurrency = opts.partitionsConsumedConcurrently;
    if (concurrency !== undefined && !(Number.isInteger(concurrency) && concurrency >= 1))
      throw new KafkaLibError('KAFKA_ERR_INVALID_OPTIONS', 'partitionsConsumedConcurrently must be ≥ 1');
    this.deadLetterTopic = opts.deadLetterTopic ?? Topics.deadLetter;
    this.consumer = kafka.consumer({
      groupId: opts.groupId,
      readUncommitted: opts.readCommitted === false,
      allowAutoTopicCreation: false,
      maxWaitTimeInMs: 100,
      ...sessionTimeouts(opts.sessionTimeoutMs),
    });
    this.assignment = new GroupAssignment(
      {
        onAssigned: async (parts) => opts.onPartitionsAssigned?.(parts),
        onRevoked: async (parts) => opts.onPartitionsRevoked?.(parts),
      },
      logger,
    );
    this.consumer.on(this.consumer.events.GROUP_JOIN, (e) =>
      this.assignment.onGroupJoin(e.payload.memberAssignment),
    );
    this.consumer.on(this.consumer.events.CRASH, (e) =>
      logger.error(
        { err: e.payload.error, groupId: opts.groupId, restart: e.payload.restart },
        'kafka consumer crashed',
      ),
    );
  }

  async run(handler: BatchHandler): Promise<void> {
    if (this.running) throw new KafkaLibError('KAFKA_ERR_INVALID_OPTIONS', 'consumer is already running');
    this.running = true;
    try {
      await this.deadLetters.connect();
      await this.consumer.connect();
      await this.consumer.subscribe({
        topics: this.opts.topics,
        fromBeginning: this.opts.fromBeginning ?? false,
      });
      await this.consumer.run({
        autoCommit: this.opts.autoCommit ?? true,
        partitionsConsumedConcurrently: this.opts.partitionsConsumedConcurrently ?? 1,
        eachBatchAutoResolve: false,
        eachBatch: (payload) => this.onBatch(payload, handler),
      });
    } catch (err) {
      this.running = false;
      throw toStartError(`consumer ${this.opts.groupId} failed to start`, err);
    }
  }

  seek(position: TopicPartition & { offset: string }): void {
    this.consumer.seek(position);
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    await this.consumer.stop();
    await this.consumer.disconnect();
    await this.assignment.revokeAll();
    await this.deadLetters.disconnect();
  }

  private async onBatch(payload: EachBatchPayload, handler: BatchHandler): Promise<void> {
    const { batch, resolveOffset, heartbeat, isRunning, isStale } = payload;
    await this.assignment.settled();
    if (!isRunning() || isStale()) return;
    const ctx = { topic: batch.topic, partition: batch.partition };
    const valid: ConsumedEnvelope[] = [];
    const dead: DeadLetterMessage[] = [];
    for (const message of batch.messages) {
      const result = decodeMessage(batch.topic, batch.partition, message, this.opts.groupId);
      if (result.ok) valid.push(result.consumed);
      else {
        dead.push(result.deadLetter);
        this.logger.warn(
          { topic: batch.topic, partition: batch.partition, offset: message.offset, code: result.errorCode },
          'undecodable kafka message sent to the dead-letter topic',
        );
      }
    }
    if (valid.length > 0) {
      const { span, ctx: spanCtx } = startConsumerSpan(
        batch.topic,
        batch.partition,
        valid.map((c) => c.headers),
      );
      await inSpan(span, spanCtx, () => handler(valid, ctx));
      this.metrics.consumed.add(valid.length, { topic: batch.topic });
    }
    if (dead.length > 0) {
      await this.deadLetters.sendRaw(this.deadLetterTopic, dead);
      this.metrics.deadLettered.add(dead.length, { topic: batch.topic });
    }
    resolveOffset(batch.lastOffset());
    this.logger.trace({ ...ctx, next: nextOffset(batch.lastOffset()) }, 'kafka batch handled');
    await heartbeat();
  }
}
