import type { SwitchboardKafka } from '@switchboard/kafka';
import { toFact } from '../domain/to-fact';
import type { OffsetFact, PartitionBatch, ProjectionStore } from './pg/projection-store';

export interface ReplayOptions {
  kafka: SwitchboardKafka;
  /** The rebuild's store (a fresh schema): facts only, the read models are recomputed afterwards. */
  store: ProjectionStore;
  /** The rebuild's consumer group: its offsets are stored with the facts, for the tail that follows. */
  groupId: string;
  topics: string[];
  /** Events per write (one transaction of facts and offsets; default 20 000). */
  batchEvents?: number;
  onWritten?(events: number): void;
}

/**
 * Replays every topic from its beginning to its end (as of the call) into the store, in big batches:
 * topics are read at once (`readToEnd`), and one write runs while the next batch fills, so decoding
 * and PostgreSQL overlap. Writes run one after another, so a partition's offsets only move forward;
 * the first failed write fails the replay (the fresh schema is then thrown away, never swapped in).
 */
export async function replayLog(o: ReplayOptions): Promise<number> {
  const size = o.batchEvents ?? 20_000;
  let buffer: PartitionBatch[] = [];
  let buffered = 0;
  let written = 0;
  let last: Promise<void> = Promise.resolve();
  // Chains a write after the running one and returns the running one: awaiting it is the back-pressure.
  const write = (): Promise<void> => {
    const batches = buffer;
    const events = buffered;
    buffer = [];
    buffered = 0;
    const running = last;
    last = running.then(async () => {
      await o.store.applyBatches(batches, { deferRecompute: true });
      written += events;
      o.onWritten?.(events);
    });
    return running;
  };
  await Promise.all(
    o.topics.map((topic) =>
      o.kafka.readToEnd({
        topic,
        onBatch: async (batch, partition) => {
          const messages: OffsetFact[] = batch.map((m) => {
            const r = toFact(m.envelope);
            return { offset: m.offset, fact: r.kind === 'fact' ? r.fact : null };
          });
          buffer.push({ groupId: o.groupId, topic, partition, messages });
          buffered += messages.length;
          if (buffered >= size) await write();
        },
      }),
    ),
  );
  if (buffered > 0) write();
  await last;
  return written;
}
