import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import { decodeMessage } from './decode';
import type { ConsumedEnvelope, ReadToEndOptions, ReadToEndResult } from './types';

/**
 * Reads partitions of a topic from given offsets up to their end as of the call — the last stable
 * offset, so with read_committed nothing of an open transaction is waited for. Used to replay a
 * changelog after a snapshot and to read a compacted topic whole. Commits no offsets.
 */
export async function readToEnd(
  kafka: Kafka,
  logger: Logger,
  opts: ReadToEndOptions,
): Promise<ReadToEndResult> {
  const admin = kafka.admin();
  await admin.connect();
  let offsets: { partition: number; offset: string; low: string }[];
  try {
    offsets = await admin.fetchTopicOffsets(opts.topic);
  } finally {
    await admin.disconnect();
  }
  const wanted = new Set(opts.partitions ?? offsets.map((o) => o.partition));
  const end = new Map<number, bigint>();
  const start = new Map<number, bigint>();
  for (const o of offsets) {
    if (!wanted.has(o.partition)) continue;
    const from = BigInt(opts.fromOffsets?.[o.partition] ?? o.low);
    end.set(o.partition, BigInt(o.offset));
    start.set(o.partition, from > BigInt(o.low) ? from : BigInt(o.low));
  }
  const endOffsets = Object.fromEntries([...end].map(([p, e]) => [p, e.toString()]));
  const pending = new Set([...end].filter(([p, e]) => start.get(p)! < e).map(([p]) => p));
  const result = { endOffsets, read: 0, invalid: 0 };
  if (pending.size === 0) return result;

  const consumer = kafka.consumer({
    groupId: `switchboard-reader-${randomUUID()}`,
    readUncommitted: opts.readCommitted === false,
    maxWaitTimeInMs: 50,
    maxBytesPerPartition: 16 * 1024 * 1024,
    maxBytes: 64 * 1024 * 1024,
  });
  let finish!: () => void;
  let fail!: (err: Error) => void;
  const done = new Promise<void>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  const progressed = (partition: number, lastOffset: string) => {
    if (pending.has(partition) && BigInt(lastOffset) + 1n >= end.get(partition)!) {
      pending.delete(partition);
      if (pending.size === 0) finish();
    }
  };
  // END_BATCH_PROCESS also fires for batches made only of transaction markers, which are never
  // handed to eachBatch: without it the reader would wait forever on a commit marker at the end.
  consumer.on(consumer.events.END_BATCH_PROCESS, (e) =>
    progressed(e.payload.partition, e.payload.lastOffset),
  );
  consumer.on(consumer.events.CRASH, (e) => fail(e.payload.error));
  try {
    await consumer.connect();
    await consumer.subscribe({ topic: opts.topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        if (!pending.has(batch.partition)) return;
        const limit = end.get(batch.partition)!;
        const envelopes: ConsumedEnvelope[] = [];
        for (const message of batch.messages) {
          if (BigInt(message.offset) >= limit) break;
          const decoded = decodeMessage(batch.topic, batch.partition, message, 'reader');
          if (decoded.ok) envelopes.push(decoded.consumed);
          else {
            result.invalid++;
            logger.warn(
              {
                topic: batch.topic,
                partition: batch.partition,
                offset: message.offset,
                code: decoded.errorCode,
              },
              'skipped undecodable record while reading',
            );
          }
        }
        result.read += envelopes.length;
        if (envelopes.length > 0) await opts.onBatch(envelopes, batch.partition);
      },
    });
    for (const p of pending)
      consumer.seek({ topic: opts.topic, partition: p, offset: start.get(p)!.toString() });
    await done;
  } finally {
    await consumer.disconnect();
  }
  return result;
}
