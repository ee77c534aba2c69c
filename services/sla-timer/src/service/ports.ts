import type { Envelope } from '@switchboard/contracts';

/** One record read back from a log. */
export interface LogRecord {
  partition: number;
  offset: bigint;
  envelope: Envelope;
}

/** What the owner needs to read from Kafka (kept behind a port so the owner stays testable). */
export interface LogReader {
  /**
   * Reads partitions of a topic (all when `partitions` is absent) from the given offsets (the earliest
   * retained when absent) up to their end as of the call, committed records only, in offset order per
   * partition. Resolves with the end offset of each partition read.
   */
  read(
    topic: string,
    partitions: readonly number[] | undefined,
    from: ReadonlyMap<number, bigint>,
    onRecord: (r: LogRecord) => void,
  ): Promise<Map<number, bigint>>;
  /** The owner group's committed offsets of a topic (next offset to read) per partition. */
  committed(topic: string): Promise<Map<number, bigint>>;
}

/** Appends tick commands to the ticks topic (keyed by tenant, so each lands on its partition). */
export interface TickSink {
  append(ticks: Envelope[]): Promise<void>;
}

/** Writes a snapshot envelope outside any transaction (the final snapshot of a clean shutdown). */
export interface SnapshotSink {
  save(snapshot: Envelope): Promise<number>;
}
