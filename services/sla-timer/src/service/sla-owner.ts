import { toBinary } from '@bufbuild/protobuf';
import { type Envelope, msFromTs } from '@switchboard/contracts';
import type { SlaPartitionSnapshot } from '@switchboard/contracts/gen/switchboard/sla/v1/commands_pb';
import { SlaSnapshotSchema } from '@switchboard/contracts/gen/switchboard/sla/v1/snapshot_pb';
import {
  createState,
  decide,
  evolve,
  evolveInput,
  handle,
  type InputEvent,
  pendingTimers,
  restoreSnapshot,
  type SlaEvent,
  type SlaState,
  toSnapshot,
} from '../domain';
import {
  envelopeToSlaEvent,
  inputMeaning,
  slaEventToEnvelope,
  snapshotEnvelope,
  snapshotOf,
  tickEnvelope,
} from './codec';
import { KeyedLock } from './keyed-lock';
import { noMetrics, type SlaMetrics } from './metrics';
import type { LogReader, SnapshotSink, TickSink } from './ports';

/** One consumed input record (a ConsumedEnvelope of the Kafka library fits). */
export interface InputRecord {
  offset: string;
  envelope: Envelope;
}

export interface OwnerTopics {
  conversations: string;
  routing: string;
  config: string;
  ticks: string;
  sla: string;
  snapshots: string;
}

export interface OwnerOptions {
  topics: OwnerTopics;
  log: LogReader;
  ticks: TickSink;
  finalSnapshots: SnapshotSink;
  clock: () => number;
  logger: {
    info(o: object, m: string): void;
    warn(o: object, m: string): void;
    error(o: object, m: string): void;
  };
  metrics?: SlaMetrics;
  snapshotEveryEvents: number;
  snapshotIntervalMs: number;
  /** Rebuild from the whole logs, never from a snapshot (verification: a fresh replay). */
  ignoreSnapshots?: boolean;
  /**
   * Least time between two tick commands of one partition (default 100 ms). Ticks are asked for while
   * timers are due, without waiting for the previous one to come back: when the loop gets to the
   * partition, the latest queued tick carries a recent `now`.
   */
  tickGapMs?: number;
  /** First back-off between recovery attempts, doubled each time (default 200 ms). */
  recoveryBackoffMs?: number;
}

export class SlaServiceError extends Error {
  constructor(
    readonly code: 'SLA_ERR_NOT_RECOVERED' | 'SLA_ERR_STALE_RECOVERY' | 'SLA_ERR_RECOVERY_FAILED',
    message: string,
  ) {
    super(message);
    this.name = 'SlaServiceError';
  }
}

const RECOVERY_ATTEMPTS = 5;

/** The state of one input partition number and where it stands in the logs. */
interface Slot {
  partition: number;
  state: SlaState;
  /** Next input offset per input topic: what the state has consumed (= committed between batches). */
  next: Map<string, bigint>;
  /** Committed offsets the recovery read, per input topic (checked again once the loop has fenced). */
  recoveredAt: Map<string, bigint>;
  checked: Set<string>;
  /** Changelog offset a scan starts from, and the last SLA event the state holds at or after it. */
  scanFrom: bigint;
  lastEventId: string;
  changes: number;
  lastSnapshotAt: number;
  tickAskedAt: number;
  /** A transaction of this partition failed: its state may be ahead of the log, never snapshot it. */
  tainted: boolean;
  /** Last event of the latest snapshot, to be located in the changelog once surely committed. */
  toLocate: string;
  locating: boolean;
}

/**
 * The sla-timer owner: holds the state of the partitions the group gave it, recovers them (snapshot,
 * SLA changelog, then the inputs consumed since the snapshot), decides input batches and ticks, asks
 * for ticks when deadlines are due and adds snapshots to transactions. It knows Kafka only through the
 * ports; the transactional loop commits what `process` returns with the input offsets.
 */
export class SlaOwner {
  private readonly slots = new Map<number, Slot>();
  private readonly held = new Map<number, Set<string>>();
  private readonly lock = new KeyedLock<number>();
  private readonly metrics: SlaMetrics;
  private readonly inputTopics: string[];
  private recovering = 0;
  private assignedOnce = false;
  private stopping = false;

  constructor(private readonly opts: OwnerOptions) {
    this.metrics = opts.metrics ?? noMetrics;
    const t = opts.topics;
    this.inputTopics = [t.conversations, t.routing, t.config, t.ticks];
  }

  /** The loop's input topics: partition p of each feeds the same state. */
  get topics(): readonly string[] {
    return this.inputTopics;
  }

  // --- ownership ----------------------------------------------------------------------------------

  async onAssigned(parts: readonly { topic: string; partition: number }[]): Promise<void> {
    const fresh = new Set<number>();
    for (const { topic, partition } of parts) {
      let topics = this.held.get(partition);
      if (!topics) {
        topics = new Set();
        this.held.set(partition, topics);
      }
      topics.add(topic);
      if (!this.slots.has(partition)) fresh.add(partition);
    }
    this.recovering++;
    try {
      const list = [...fresh].sort((a, b) => a - b);
      // One recovery for all of them: each log is read once for every partition.
      if (list.length > 0) await this.recoverWithRetries(list);
    } finally {
      this.recovering--;
      this.assignedOnce = true;
    }
  }

  /** Any input topic of p revoked drops p's state (on a clean shutdown after a final snapshot). */
  async onRevoked(parts: readonly { topic: string; partition: number }[]): Promise<void> {
    const dropped = new Set<number>();
    for (const { topic, partition } of parts) {
      this.held.get(partition)?.delete(topic);
      if (this.held.get(partition)?.size === 0) this.held.delete(partition);
      dropped.add(partition);
    }
    for (const p of dropped) {
      await this.lock.run(p, async () => {
        const slot = this.slots.get(p);
        if (slot && this.stopping && !slot.tainted) {
          await this.finalSnapshot(slot).catch((err: unknown) =>
            this.opts.logger.warn({ err, partition: p }, 'final snapshot failed'),
          );
        }
        this.slots.delete(p);
      });
    }
  }

  /** A transaction of p failed: the loop resets p next (revoke, assign); its state is not to be saved. */
  onTransactionFailed(partition: number): void {
    const slot = this.slots.get(partition);
    if (slot) slot.tainted = true;
  }

  /** Ready once the group assigned something (or nothing) and every partition held is recovered. */
  ready(): boolean {
    if (!this.assignedOnce || this.recovering > 0) return false;
    for (const p of this.held.keys()) if (!this.slots.has(p)) return false;
    return true;
  }

  ownedPartitions(): number[] {
    return [...this.slots.keys()].sort((a, b) => a - b);
  }

  pendingTimers(): number {
    let n = 0;
    for (const s of this.slots.values()) n += pendingTimers(s.state);
    return n;
  }

  /** The live state of partition p (tests and benchmarks compare it with a fresh replay). */
  stateOf(partition: number): SlaState | undefined {
    return this.slots.get(partition)?.state;
  }

  /** Stops asking for ticks; the revocations of the shutdown write final snapshots. */
  beginShutdown(): void {
    this.stopping = true;
  }

  // --- recovery -----------------------------------------------------------------------------------

  /**
   * Brokers answer "not leader" or "coordinator loading" for a while after topics are created or moved:
   * recovery is retried a few times before the failure is left to the loop (which resets the partition).
   */
  private async recoverWithRetries(parts: number[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.recover(parts, this.opts.ignoreSnapshots ?? false);
      } catch (err) {
        if (attempt >= RECOVERY_ATTEMPTS) throw err;
        this.opts.logger.warn({ err, partitions: parts, attempt }, 'sla recovery failed, retrying');
        await new Promise((r) => setTimeout(r, (this.opts.recoveryBackoffMs ?? 200) * 2 ** (attempt - 1)));
      }
    }
  }

  private async recover(parts: number[], ignoreSnapshots = false): Promise<void> {
    const started = this.opts.clock();
    const { log, topics } = this.opts;
    const stored = new Map<number, SlaPartitionSnapshot>();
    if (!ignoreSnapshots) {
      const wanted = new Set(parts);
      await log.read(topics.snapshots, undefined, new Map(), (r) => {
        const snap = snapshotOf(r.envelope);
        if (snap && wanted.has(snap.partition)) stored.set(snap.partition, snap);
      });
    }

    const slots = new Map<number, Slot & { skipping: boolean; inputFrom: Map<string, bigint> }>();
    for (const p of parts) {
      const snap = stored.get(p);
      const restored = snap?.state ? restoreSnapshot(toBinary(SlaSnapshotSchema, snap.state)) : undefined;
      const inputFrom = new Map<string, bigint>();
      for (const o of restored?.inputOffsets ?? []) if (o.partition === p) inputFrom.set(o.topic, o.offset);
      slots.set(p, {
        partition: p,
        state: restored?.state ?? createState(),
        next: new Map(),
        recoveredAt: new Map(),
        checked: new Set(),
        scanFrom: restored?.changelogOffset ?? 0n,
        lastEventId: snap?.lastEventId ?? '',
        changes: 0,
        lastSnapshotAt: started,
        tickAskedAt: Number.NEGATIVE_INFINITY,
        tainted: false,
        toLocate: '',
        locating: false,
        skipping: (snap?.lastEventId ?? '') !== '',
        inputFrom,
      });
    }

    // The changelog (clocks), the committed offsets and the inputs since the snapshot are read together;
    // the changelog is applied first, then the inputs (facts only, no decisions).
    const inputTopics = [topics.conversations, topics.routing, topics.config];
    const replayed = new Map<number, number>(parts.map((p) => [p, 0]));
    const collected = new Map<string, { at: number; input: InputEvent; offset: bigint; partition: number }[]>(
      inputTopics.map((t) => [t, []]),
    );
    const committedByTopic = new Map<string, Map<number, bigint>>();
    await Promise.all(this.inputTopics.map(async (t) => committedByTopic.set(t, await log.committed(t))));
    const changelogRead = log.read(
      topics.sla,
      parts,
      new Map(parts.map((p) => [p, slots.get(p)!.scanFrom])),
      ({ partition, envelope }) => {
        const slot = slots.get(partition);
        if (!slot) return;
        if (slot.skipping) {
          if (envelope.eventId === slot.lastEventId) slot.skipping = false;
          return;
        }
        const event = envelopeToSlaEvent(envelope);
        if (!event) return;
        evolve(slot.state, event);
        replayed.set(partition, replayed.get(partition)! + 1);
      },
    );
    const inputReads = inputTopics.map((t) => {
      const committed = committedByTopic.get(t)!;
      const todo = parts.filter((p) => (slots.get(p)!.inputFrom.get(t) ?? 0n) < (committed.get(p) ?? 0n));
      if (todo.length === 0) return Promise.resolve();
      const from = new Map(todo.map((p) => [p, slots.get(p)!.inputFrom.get(t) ?? 0n]));
      return log.read(t, todo, from, ({ partition, offset, envelope }) => {
        if (offset >= (committed.get(partition) ?? 0n)) return;
        const m = inputMeaning(envelope);
        if (m.kind === 'input') collected.get(t)!.push({ at: m.at, input: m.input, offset, partition });
      });
    });
    const [ends] = await Promise.all([changelogRead, ...inputReads]);

    const broken = parts.filter((p) => slots.get(p)!.skipping);
    if (broken.length > 0) {
      this.opts.logger.error(
        { partitions: broken, code: 'SLA_ERR_RECOVERY_FAILED' },
        'snapshot names a changelog event that was not found; rebuilding these partitions from the whole logs',
      );
      if (ignoreSnapshots)
        throw new SlaServiceError('SLA_ERR_RECOVERY_FAILED', `partitions ${broken.join(', ')}`);
      await this.recover(broken, true);
    }

    for (const p of parts) {
      if (broken.includes(p)) continue;
      const slot = slots.get(p)!;
      const inputs = mergeByTime(inputTopics.map((t) => collected.get(t)!.filter((r) => r.partition === p)));
      for (const r of inputs) evolveInput(slot.state, r.input, r.at);
      replayed.set(p, replayed.get(p)! + inputs.length);
      for (const t of this.inputTopics) {
        const c = committedByTopic.get(t)?.get(p) ?? 0n;
        slot.next.set(t, c);
        slot.recoveredAt.set(t, c);
      }
      // Every SLA event the state holds now lies before the changelog's end as read.
      slot.scanFrom = ends.get(p) ?? slot.scanFrom;
      slot.lastEventId = '';
      const { skipping: _s, inputFrom: _i, ...clean } = slot;
      if (this.held.has(p)) this.slots.set(p, clean);
      const seconds = (this.opts.clock() - started) / 1000;
      this.metrics.recovered(p, seconds, replayed.get(p)!);
      this.opts.logger.info(
        {
          partition: p,
          snapshot: stored.has(p),
          replayed: replayed.get(p),
          pending: pendingTimers(slot.state),
          seconds,
        },
        'sla partition recovered',
      );
    }
  }

  // --- processing ---------------------------------------------------------------------------------

  /** Decides one input batch of one partition; returns what to commit with its offsets. */
  async process(
    batch: readonly InputRecord[],
    topic: string,
    partition: number,
  ): Promise<{ topic: string; envelope: Envelope }[]> {
    return this.lock.run(partition, async () => {
      const slot = this.slots.get(partition);
      if (!slot)
        throw new SlaServiceError('SLA_ERR_NOT_RECOVERED', `partition ${partition} has no recovered state`);
      if (!slot.checked.has(topic)) await this.checkPosition(slot, topic);
      // Batches run one at a time: the previous one (and its snapshot) is committed by now.
      if (slot.toLocate && !slot.locating) this.locate(slot, slot.toLocate);
      const now = this.opts.clock();
      const first = batch[0];
      if (first?.envelope.recordedAt)
        this.metrics.inputLag(Math.max(0, now - msFromTs(first.envelope.recordedAt)) / 1000);
      const out: { topic: string; envelope: Envelope }[] = [];
      let decided = 0;
      let events = 0;
      for (const rec of batch) {
        const env = rec.envelope;
        const m = inputMeaning(env);
        let emitted: SlaEvent[];
        let at: number;
        if (m.kind === 'ignored') continue;
        if (m.kind === 'tick') {
          if (m.partition !== partition) continue; // a tick for another partition layout: not ours
          at = m.now;
          emitted = decide(slot.state, { kind: 'tick' }, m.now);
          for (const e of emitted) {
            evolve(slot.state, e);
            const instant = instantOf(e);
            if (Number.isFinite(instant)) this.metrics.fired(Math.max(0, now - instant));
          }
        } else {
          at = m.at;
          try {
            emitted = handle(slot.state, { kind: 'input', input: m.input }, m.at);
          } catch (err) {
            // decide is pure and ran first: the state is as before; the input is set aside, the rest goes on.
            this.opts.logger.error(
              {
                err,
                partition,
                topic,
                offset: rec.offset,
                eventId: env.eventId,
                code: 'SLA_ERR_DECIDE_FAILED',
              },
              'input could not be decided; skipped',
            );
            this.metrics.rejected('SLA_ERR_DECIDE_FAILED');
            continue;
          }
          decided++;
        }
        const correlation = env.correlationId || env.aggregateId;
        for (const e of emitted) {
          const envelope = slaEventToEnvelope(e, at, correlation);
          out.push({ topic: this.opts.topics.sla, envelope });
          if (envelope.payload.case === 'slaBreached') this.metrics.outcome(envelope.tenantId, 'breached');
          else if (envelope.payload.case === 'slaMet') this.metrics.outcome(envelope.tenantId, 'met');
        }
        const last = emitted[emitted.length - 1];
        if (last) slot.lastEventId = last.eventId;
        events += emitted.length;
      }
      const last = batch[batch.length - 1];
      if (last) slot.next.set(topic, BigInt(last.offset) + 1n);
      slot.changes += decided + events;
      this.metrics.inputsDecided(decided);
      this.metrics.eventsProduced(events);
      const byCount = slot.changes >= this.opts.snapshotEveryEvents;
      const byTime = slot.changes > 0 && now - slot.lastSnapshotAt >= this.opts.snapshotIntervalMs;
      if (byCount || byTime) {
        const envelope = this.snapshotOf(slot, now);
        out.push({ topic: this.opts.topics.snapshots, envelope });
        slot.changes = 0;
        slot.lastSnapshotAt = now;
        slot.toLocate = slot.lastEventId;
      }
      return out;
    });
  }

  /**
   * The recovery read the committed offsets before the loop fenced older owners; once the loop hands us
   * a topic's first batch it has fenced them, so a difference means a zombie committed in between: start
   * over (the loop resets the partition on a throw).
   */
  private async checkPosition(slot: Slot, topic: string): Promise<void> {
    const now = (await this.opts.log.committed(topic)).get(slot.partition) ?? 0n;
    const then = slot.recoveredAt.get(topic) ?? 0n;
    if (now !== then)
      throw new SlaServiceError(
        'SLA_ERR_STALE_RECOVERY',
        `${topic}[${slot.partition}] committed ${now} after recovery from ${then}: recovering again`,
      );
    slot.checked.add(topic);
  }

  /**
   * Finds where a committed event lies in the changelog (in the background) and moves the slot's scan
   * start past it, so that the next snapshot's recovery scans only what came after (instead of
   * everything since this owner's recovery).
   */
  private locate(slot: Slot, eventId: string): void {
    slot.locating = true;
    slot.toLocate = '';
    const p = slot.partition;
    let found: bigint | undefined;
    this.opts.log
      .read(this.opts.topics.sla, [p], new Map([[p, slot.scanFrom]]), (r) => {
        if (r.envelope.eventId === eventId) found = r.offset;
      })
      .then(() =>
        this.lock.run(p, () => {
          if (found === undefined || this.slots.get(p) !== slot) return;
          // Events up to `eventId` lie at or before `found`; the ones decided since come after it.
          slot.scanFrom = found + 1n;
          if (slot.lastEventId === eventId) slot.lastEventId = '';
        }),
      )
      .catch((err: unknown) =>
        this.opts.logger.warn({ err, partition: p }, 'locating a changelog event failed'),
      )
      .finally(() => {
        slot.locating = false;
      });
  }

  // --- time ---------------------------------------------------------------------------------------

  /** When the ticker should wake: the earliest deadline, or the next time a tick may be asked for it. */
  nextDeadline(): number {
    let next = Number.POSITIVE_INFINITY;
    const gap = this.opts.tickGapMs ?? 100;
    for (const s of this.slots.values())
      next = Math.min(next, Math.max(s.state.timers.peekDeadline(), s.tickAskedAt + gap));
    return next;
  }

  /**
   * The process-level tick: for each partition whose earliest deadline has come (or whose snapshot is
   * due while it is idle), appends one tick command to the ticks topic. It decides nothing itself.
   */
  async tick(now: number): Promise<void> {
    if (this.stopping) return;
    const ticks: Envelope[] = [];
    const asked: Slot[] = [];
    for (const slot of this.slots.values()) {
      const timersDue = slot.state.timers.peekDeadline() <= now;
      const snapshotDue = slot.changes > 0 && now - slot.lastSnapshotAt >= this.opts.snapshotIntervalMs;
      if (!timersDue && !snapshotDue) continue;
      if (now - slot.tickAskedAt < (this.opts.tickGapMs ?? 100)) continue;
      const tenant = slot.state.tenants.keys().next().value;
      if (tenant === undefined) continue;
      ticks.push(tickEnvelope(tenant, slot.partition, now));
      asked.push(slot);
    }
    if (ticks.length === 0) return;
    for (const s of asked) s.tickAskedAt = now;
    await this.opts.ticks.append(ticks);
  }

  // --- snapshots ----------------------------------------------------------------------------------

  private snapshotOf(slot: Slot, now: number): Envelope {
    const state = toSnapshot(slot.state, {
      inputOffsets: [...slot.next].map(([topic, offset]) => ({ topic, partition: slot.partition, offset })),
      changelogOffset: slot.scanFrom,
    });
    const envelope = snapshotEnvelope(slot.partition, state, slot.lastEventId, now);
    this.metrics.snapshotWritten(slot.partition, toBinary(SlaSnapshotSchema, state).length);
    return envelope;
  }

  private async finalSnapshot(slot: Slot): Promise<void> {
    const bytes = await this.opts.finalSnapshots.save(this.snapshotOf(slot, this.opts.clock()));
    this.opts.logger.info({ partition: slot.partition, bytes }, 'final snapshot written');
  }
}

/** The instant a fired event stands for (its threshold or deadline). */
function instantOf(e: SlaEvent): number {
  const p = e.payload;
  if (p.case === 'slaBreached' && p.value.breachedAt) return msFromTs(p.value.breachedAt);
  if (p.case === 'slaWarningRaised' && p.value.reachedAt) return msFromTs(p.value.reachedAt);
  return Number.NaN;
}

/**
 * Merges the inputs of several topics into one sequence: each topic's order is kept, and across topics
 * the earlier record time goes first (the live order across topics is not recorded).
 */
export function mergeByTime<T extends { at: number }>(lists: readonly (readonly T[])[]): T[] {
  const heads = lists.map(() => 0);
  const out: T[] = [];
  for (;;) {
    let best = -1;
    for (let i = 0; i < lists.length; i++) {
      const r = lists[i]![heads[i]!];
      if (r && (best < 0 || r.at < lists[best]![heads[best]!]!.at)) best = i;
    }
    if (best < 0) return out;
    out.push(lists[best]![heads[best]!++]!);
  }
}
