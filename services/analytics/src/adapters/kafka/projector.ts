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
import { type OffsetFact, OffsetRegressionError, type ProjectionStore } from '../pg/projection-store';

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
}

/**
 * Consumes the event topics into PostgreSQL. Offsets live in PostgreSQL only (no Kafka commits):
 * on assignment each partition seeks to its stored offset, and each batch commits its writes and its
 * offset in one PostgreSQL transaction.
 */
export class Projector {
  private readonly consumer: EnvelopeConsumer;
  private readonly now: () => number;
  /** Per partition, the next offset this projector committed last. */
  private readonly committed = new Map<string, string>();

  constructor(private readonly opts: ProjectorOptions) {
    this.now = opts.now ?? Date.now;
    this.consumer = opts.kafka.consumer({
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
    let result: Awaited<ReturnType<ProjectionStore['applyBatch']>>;
    try {
      result = await this.opts.store.applyBatch(
        {
          groupId: this.opts.groupId,
          topic: ctx.topic,
          partition: ctx.partition,
          messages,
          ...(expectedNext !== undefined ? { expectedNext } : {}),
        },
        { deferRecompute: this.opts.deferRecompute ?? false },
      );
    } catch (err) {
      if (!(err instanceof OffsetRegressionError)) throw err;
      // PostgreSQL lost commits we saw acknowledged: read again from what it holds.
      this.opts.logger.warn(
        { ...ctx, stored: err.stored, expected: expectedNext },
        'stored offset went back; seeking',
      );
      this.consumer.seek({ ...ctx, offset: err.stored });
      this.committed.set(key, err.stored);
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
