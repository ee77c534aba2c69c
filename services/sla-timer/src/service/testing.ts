// In-memory stand-ins for the owner's ports (unit tests), and a comparable form of a state.
import { toJson } from '@bufbuild/protobuf';
import type { Envelope } from '@switchboard/contracts';
import { SlaSnapshotSchema } from '@switchboard/contracts/gen/switchboard/sla/v1/snapshot_pb';
import { type SlaState, toSnapshot } from '../domain';
import type { LogReader, LogRecord, SnapshotSink, TickSink } from './ports';
import type { SlaOwner } from './sla-owner';

/** Topics as arrays of committed envelopes per partition, and one group's committed offsets. */
export class MemoryLog implements LogReader {
  readonly topics = new Map<string, Map<number, Envelope[]>>();
  readonly offsets = new Map<string, Map<number, bigint>>();
  partition(topic: string, p: number): Envelope[] {
    let byP = this.topics.get(topic);
    if (!byP) {
      byP = new Map();
      this.topics.set(topic, byP);
    }
    let list = byP.get(p);
    if (!list) {
      list = [];
      byP.set(p, list);
    }
    return list;
  }

  append(topic: string, p: number, envelopes: readonly Envelope[]): bigint {
    const list = this.partition(topic, p);
    list.push(...envelopes);
    return BigInt(list.length);
  }

  commit(topic: string, p: number, next: bigint): void {
    let byP = this.offsets.get(topic);
    if (!byP) {
      byP = new Map();
      this.offsets.set(topic, byP);
    }
    byP.set(p, next);
  }

  async read(
    topic: string,
    partitions: readonly number[] | undefined,
    from: ReadonlyMap<number, bigint>,
    onRecord: (r: LogRecord) => void,
  ): Promise<Map<number, bigint>> {
    const ends = new Map<number, bigint>();
    const byP = this.topics.get(topic) ?? new Map<number, Envelope[]>();
    for (const p of partitions ?? [...byP.keys()]) {
      const list = byP.get(p) ?? [];
      for (let o = Number(from.get(p) ?? 0n); o < list.length; o++)
        onRecord({ partition: p, offset: BigInt(o), envelope: list[o]! });
      ends.set(p, BigInt(list.length));
    }
    return ends;
  }

  async committed(topic: string): Promise<Map<number, bigint>> {
    return new Map(this.offsets.get(topic) ?? []);
  }
}

export class MemoryTicks implements TickSink {
  readonly appended: Envelope[] = [];
  async append(ticks: Envelope[]): Promise<void> {
    this.appended.push(...ticks);
  }
}

export class MemorySnapshots implements SnapshotSink {
  readonly saved: Envelope[] = [];
  async save(snapshot: Envelope): Promise<number> {
    this.saved.push(snapshot);
    return 1;
  }
}

/**
 * What the transactional loop does for one batch, in memory: the inputs are appended to their topic,
 * decided by the owner, and the outputs and the input offset "commit" together. Outputs go to partition
 * p of their topic (the SLA topic) or to partition 0 (the one-partition snapshot topic).
 */
export async function runBatch(
  log: MemoryLog,
  owner: SlaOwner,
  topic: string,
  p: number,
  envelopes: readonly Envelope[],
  snapshotsTopic: string,
): Promise<Envelope[]> {
  const first = log.partition(topic, p).length;
  log.append(topic, p, envelopes);
  const batch = envelopes.map((envelope, i) => ({ offset: String(first + i), envelope }));
  const outputs = await owner.process(batch, topic, p);
  for (const o of outputs) log.append(o.topic, o.topic === snapshotsTopic ? 0 : p, [o.envelope]);
  log.commit(topic, p, BigInt(first + envelopes.length));
  return outputs.map((o) => o.envelope);
}

/** A state as comparable JSON: order-free collections sorted (insertion order differs between replays). */
export function normalized(state: SlaState | undefined): unknown {
  if (!state) return undefined;
  const snap = toJson(SlaSnapshotSchema, toSnapshot(state)) as {
    tenants?: {
      tenantId: string;
      conversations?: { conversationId: string }[];
      clocks?: { clock: object }[];
      seenEventIds?: string[];
    }[];
  };
  const key = (o: object) => JSON.stringify(o);
  for (const t of snap.tenants ?? []) {
    t.conversations?.sort((a, b) => a.conversationId.localeCompare(b.conversationId));
    t.clocks?.sort((a, b) => key(a.clock).localeCompare(key(b.clock)));
    t.seenEventIds?.sort();
  }
  snap.tenants?.sort((a, b) => a.tenantId.localeCompare(b.tenantId));
  return snap;
}
