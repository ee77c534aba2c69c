import type { Envelope } from '@switchboard/contracts';

/** One record of the changelog (routing topic) partition. */
export interface ChangelogEntry {
  partition: number;
  offset: bigint;
  envelope: Envelope;
}

/** Reads changelog partitions from given offsets up to their committed end. */
export interface ChangelogReader {
  /** Calls `onEntry` for every committed record at or after `from[p]`, in offset order per partition. */
  replay(from: ReadonlyMap<number, bigint>, onEntry: (entry: ChangelogEntry) => void): Promise<void>;
}

/** A partition snapshot as stored (switchboard.routing.v1.RoutingPartitionSnapshot). */
export interface StoredSnapshot {
  partition: number;
  changelogOffset: bigint;
  lastEventId: string;
  takenAtMs: number;
  tenants: { tenantId: string; state: Uint8Array }[];
}

export interface SnapshotStore {
  /** The latest snapshot of each partition that has one. */
  loadLatest(partitions: readonly number[]): Promise<Map<number, StoredSnapshot>>;
  save(snapshot: StoredSnapshot): Promise<number>;
}

/** Appends the owner's time-driven commands to an input topic. */
export interface TickSink {
  appendTicks(ticks: readonly { tenantId: string; now: number }[]): Promise<void>;
}

/** An input the owner cannot accept, with where it was read. */
export interface RejectedInput {
  envelope: Envelope;
  topic: string;
  partition: number;
  offset: string;
  code: string;
  reason: string;
}

export interface DeadLetterSink {
  deadLetter(items: readonly RejectedInput[]): Promise<void>;
}
