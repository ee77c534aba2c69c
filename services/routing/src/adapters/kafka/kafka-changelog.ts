import { randomUUID } from 'node:crypto';
import { create } from '@bufbuild/protobuf';
import { encodeEnvelope, isPayload, newEnvelope } from '@switchboard/contracts';
import { ChangelogMarkerSchema } from '@switchboard/contracts/gen/switchboard/routing/v1/events_pb';
import type { EnvelopeProducer, SwitchboardKafka } from '@switchboard/kafka';
import { partitionOf } from '../../service/partitioner';
import type { ChangelogEntry, ChangelogReader } from '../../service/ports';

export interface ChangelogReaderOptions {
  topic: string;
  /** Partitions of the changelog (markers are keyed to land in a given one). */
  partitions: number;
  deadLetterTopic: string;
  /** Longest replay before recovery fails (default 10 min). */
  timeoutMs?: number;
}

/** A record key the default partitioner sends to partition p. */
export function keyForPartition(p: number, partitions: number, prefix: string): string {
  for (let n = 0; ; n++) {
    const key = `${prefix}-${p}-${n}`;
    if (partitionOf(key, partitions) === p) return key;
  }
}

/**
 * Replays changelog partitions from given offsets to their end. The end is exact: a marker record
 * is appended to each partition first, and the replay reads until it meets its own markers. A
 * read_committed reader only gets past a record once every transaction before it is settled, so
 * everything committed before the marker has been read (a dead owner's open transaction holds the
 * marker back until the broker aborts it: at most the loop's transaction timeout).
 */
export class KafkaChangelogReader implements ChangelogReader {
  constructor(
    private readonly kafka: SwitchboardKafka,
    private readonly producer: EnvelopeProducer,
    private readonly opts: ChangelogReaderOptions,
  ) {}

  async replay(from: ReadonlyMap<number, bigint>, onEntry: (entry: ChangelogEntry) => void): Promise<void> {
    if (from.size === 0) return;
    const markerId = randomUUID();
    const pending = new Set(from.keys());
    let failure: unknown;
    let done!: () => void;
    const finished = new Promise<void>((resolve) => {
      done = resolve;
    });
    const consumer = this.kafka.consumer({
      groupId: `routing-replay-${markerId}`,
      topics: [this.opts.topic],
      fromBeginning: false,
      autoCommit: false,
      deadLetterTopic: this.opts.deadLetterTopic,
      onPartitionsAssigned: async (parts) => {
        for (const tp of parts) {
          const offset = from.get(tp.partition);
          if (offset !== undefined) consumer.seek({ ...tp, offset: offset.toString() });
        }
      },
    });
    await consumer.run(async (batch, ctx) => {
      const start = from.get(ctx.partition);
      if (start === undefined || !pending.has(ctx.partition)) return;
      try {
        for (const record of batch) {
          if (BigInt(record.offset) < start) continue;
          const env = record.envelope;
          if (isPayload(env, 'routingChangelogMarker')) {
            if (env.payload.value.markerId !== markerId) continue;
            pending.delete(ctx.partition);
            if (pending.size === 0) done();
            return;
          }
          onEntry({ partition: record.partition, offset: BigInt(record.offset), envelope: env });
        }
      } catch (err) {
        failure ??= err;
        done();
      }
    });
    try {
      await this.producer.sendRaw(
        this.opts.topic,
        [...from.keys()].map((partition) => {
          const key = keyForPartition(partition, this.opts.partitions, 'routing-marker');
          const envelope = newEnvelope({
            eventId: `marker:${markerId}:${partition}`,
            tenantId: key,
            aggregateId: key,
            occurredAtMs: Date.now(),
            source: 'routing',
            payload: {
              case: 'routingChangelogMarker',
              value: create(ChangelogMarkerSchema, { markerId, partition }),
            },
          });
          return { key, value: Buffer.from(encodeEnvelope(envelope)) };
        }),
      );
      const timeoutMs = this.opts.timeoutMs ?? 600_000;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new Error(
                `RTG_ERR_RECOVERY_TIMEOUT: changelog replay did not reach its end in ${timeoutMs} ms`,
              ),
            ),
          timeoutMs,
        );
      });
      try {
        await Promise.race([finished, timeout]);
      } finally {
        clearTimeout(timer);
      }
      if (failure) throw failure;
    } finally {
      await consumer.stop();
    }
  }
}
