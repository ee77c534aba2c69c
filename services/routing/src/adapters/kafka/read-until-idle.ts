import { randomUUID } from 'node:crypto';
import type { ConsumedEnvelope, SwitchboardKafka } from '@switchboard/kafka';

export interface ReadUntilIdleOptions {
  topic: string;
  /** Partition → first offset to read. Other partitions of the topic are ignored. */
  from: ReadonlyMap<number, bigint>;
  /** Caught up once no record arrived for this long (after the first one). */
  idleMs: number;
  /** When no record at all arrives for this long after positioning, the partitions count as empty. */
  firstRecordGraceMs?: number;
  deadLetterTopic: string;
  /** Longest read before giving up (default 10 min). */
  timeoutMs?: number;
}

/**
 * Reads partitions of a topic (read_committed) from given offsets until nothing more arrives for
 * `idleMs`, through the library's consumer with a private group. The library has no end-offset query,
 * so "caught up" is a quiet period (longer before the first record); callers read partitions no one
 * else writes to meanwhile.
 */
export async function readUntilIdle(
  kafka: SwitchboardKafka,
  opts: ReadUntilIdleOptions,
  onRecord: (record: ConsumedEnvelope) => void,
): Promise<void> {
  if (opts.from.size === 0) return;
  let positioned = false;
  let seen = false;
  let lastActivity = Date.now();
  const grace = Math.max(opts.idleMs, opts.firstRecordGraceMs ?? 2000);
  let failure: unknown;
  const consumer = kafka.consumer({
    groupId: `routing-read-${randomUUID()}`,
    topics: [opts.topic],
    fromBeginning: false,
    autoCommit: false,
    deadLetterTopic: opts.deadLetterTopic,
    onPartitionsAssigned: async (parts) => {
      for (const tp of parts) {
        const offset = opts.from.get(tp.partition);
        if (offset !== undefined) consumer.seek({ ...tp, offset: offset.toString() });
      }
      positioned = true;
      lastActivity = Date.now();
    },
  });
  await consumer.run(async (batch, ctx) => {
    seen = true;
    lastActivity = Date.now();
    const from = opts.from.get(ctx.partition);
    if (from === undefined) return;
    try {
      for (const record of batch) if (BigInt(record.offset) >= from) onRecord(record);
    } catch (err) {
      failure ??= err;
    }
    lastActivity = Date.now();
  });
  const deadline = Date.now() + (opts.timeoutMs ?? 600_000);
  try {
    // The first fetch after positioning can be slow; only later silence means caught up.
    while (!positioned || Date.now() - lastActivity < (seen ? opts.idleMs : grace)) {
      if (failure) throw failure;
      if (Date.now() > deadline)
        throw new Error(`RTG_ERR_RECOVERY_TIMEOUT: reading ${opts.topic} did not finish`);
      await new Promise((r) => setTimeout(r, Math.min(50, opts.idleMs / 4)));
    }
    if (failure) throw failure;
  } finally {
    await consumer.stop();
  }
}
