import { encodeEnvelope, msFromTs } from '@switchboard/contracts';
import {
  buildDeadLetter,
  type ConsumedEnvelope,
  type EnvelopeConsumer,
  type EnvelopeProducer,
  type SwitchboardKafka,
  type TopicPartition,
} from '@switchboard/kafka';
import type { Logger } from 'pino';
import { toFact } from '../../domain/to-fact';
import { GroupCommit } from '../group-commit';
import type { BatchResult, OffsetFact, PartitionBatch, ProjectionStore } from '../pg/projection-store';

export interface BatchCommitted extends TopicPartition {
  events: number;
  applied: number;
  skipped: number;
  invalid: number;
  /** Commit time minus each event's recorded_at, in ms. */
  lagsMs: number[];
}

export interface ProjectorOptions {
  kafka: SwitchboardKafka;
  store: ProjectionStore;
  logger: Logger;
  groupId: string;
  topics: string[];
  /** Where invalid events go; none during a rebuild (they were dead-lettered the first time). */
  deadLetters?: { producer: EnvelopeProducer; topic: string };
  /** Only store facts; the rebuild recomputes the read models at the end. */
  deferRecompute?: boolean;
  onCommitted?(b: BatchCommitted): void;
  /** Reads the clock for lag figures (injected for tests). */
  now?: () => number;
  /** Partition batches handled at once (default 64: every input partition of the four topics). */
  partitionsConsumedConcurrently?: number;
  /** Group commit: write pending batches once they hold this many events, at most this many per
   * transaction (default 50 000: a whole fetch, so a conversation's events from different topics
   * usually share one transaction and its rows are recomputed once, not once per topic)... */
  flushEvents?: number;
  /** ...or once the oldest has waited this long (default 20 ms). */
  flushMs?: number;
}

/**
 * Consumes the event topics into PostgreSQL. Offsets live in PostgreSQL only (no Kafka commits):
 * on assignment each partition seeks to its stored offset. Partitions are handled concurrently and
 * their batches GROUP COMMITTED: each handler hands its messages (with its partition's next offset)
 * to a shared buffer and waits; one PostgreSQL transaction writes everything pending, rows and every
 * partition's offset together, then releases the handlers. If it fails every waiting handler throws,
 * so kafkajs re-delivers those batches (and a restart seeks to the stored offsets): nothing is skipped
 * and nothing counted twice.
 */
export class Projector {
  private readonly consumer: EnvelopeConsumer;
  private readonly now: () => number;
  /** Per partition, the next offset this projector committed last. */
  private readonly committed = new Map<string, string>();
  private readonly group: GroupCommit<PartitionBatch, BatchResult>;

  constructor(private readonly opts: ProjectorOptions) {
    this.now = opts.now ?? Date.now;
    const deferRecompute = opts.deferRecompute ?? false;
    this.group = new GroupCommit({
      maxWeight: opts.flushEvents ?? 50_000,
      maxDelayMs: opts.flushMs ?? 20,
      weigh: (b) => b.messages.length,
      flush: (batches) => opts.store.applyBatches(batches, { deferRecompute }),
    });
    this.consumer = opts.kafka.consumer({
      partitionsConsumedConcurrently: opts.partitionsConsumedConcurrently ?? 64,
      groupId: opts.groupId,
      topics: opts.topics,
      fromBeginning: true,
      autoCommit: false,
      readCommitted: true,
      ...(opts.deadLetters ? { deadLetterTopic: opts.deadLetters.topic } : {}),
      onPartitionsAssigned: (parts) => this.seekToStored(parts),
    });
  }

  start(): Promise<void> {
    return this.consumer.run((batch, ctx) => this.handle(batch, ctx));
  }

  stop(): Promise<void> {
    return this.consumer.stop();
  }

  private async seekToStored(parts: TopicPartition[]): Promise<void> {
    const stored = await this.opts.store.storedOffsets(this.opts.groupId);
    for (const p of parts) {
      const s = stored.find((o) => o.topic === p.topic && o.partition === p.partition);
      const key = `${p.topic}:${p.partition}`;
      if (s) {
        this.consumer.seek({ ...p, offset: s.nextOffset });
        this.committed.set(key, s.nextOffset);
      } else this.committed.delete(key);
    }
    this.opts.logger.info(
      { parts: parts.length, stored: stored.length },
      'partitions assigned, seeked to stored offsets',
    );
  }

  private async handle(batch: ConsumedEnvelope[], ctx: TopicPartition): Promise<void> {
    const messages: OffsetFact[] = [];
    const dead = [];
    for (const m of batch) {
      const r = toFact(m.envelope);
      if (r.kind === 'fact') messages.push({ offset: m.offset, fact: r.fact });
      else {
        messages.push({ offset: m.offset, fact: null });
        if (r.kind === 'invalid') {
          dead.push(
            buildDeadLetter(
              {
                topic: m.topic,
                partition: m.partition,
                offset: m.offset,
                key: Buffer.from(m.key),
                value: Buffer.from(encodeEnvelope(m.envelope)),
                headers: m.headers,
              },
              { reason: r.reason, errorCode: r.code, consumerGroup: this.opts.groupId },
            ),
          );
        }
      }
    }
    // Dead letters go out before the commit: after a crash they may repeat, but are never lost.
    if (dead.length > 0 && this.opts.deadLetters) {
      await this.opts.deadLetters.producer.sendRaw(this.opts.deadLetters.topic, dead);
      this.opts.logger.warn({ ...ctx, count: dead.length }, 'invalid events sent to the dead-letter topic');
    }
    const key = `${ctx.topic}:${ctx.partition}`;
    const expectedNext = this.committed.get(key);
    // Waits for the flush that carries this batch; throws (re-delivery) if that flush failed.
    const result = await this.group.submit({
      groupId: this.opts.groupId,
      topic: ctx.topic,
      partition: ctx.partition,
      messages,
      ...(expectedNext !== undefined ? { expectedNext } : {}),
    });
    if (result.regressedTo !== undefined) {
      // PostgreSQL lost commits we saw acknowledged: read again from what it holds.
      this.opts.logger.warn(
        { ...ctx, stored: result.regressedTo, expected: expectedNext },
        'stored offset went back; seeking',
      );
      this.consumer.seek({ ...ctx, offset: result.regressedTo });
      this.committed.set(key, result.regressedTo);
      return;
    }
    this.committed.set(key, result.nextOffset);
    const committedAt = this.now();
    this.opts.onCommitted?.({
      ...ctx,
      events: batch.length,
      applied: result.applied,
      skipped: result.skipped,
      invalid: dead.length,
      lagsMs: batch.map((m) => committedAt - msFromTs(m.envelope.recordedAt ?? m.envelope.occurredAt)),
    });
  }
}
