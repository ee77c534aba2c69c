import { type Envelope, msFromTs } from '@switchboard/contracts';
import { decide, nextDeadline } from '../domain/decide';
import { eventFromEnvelope, eventToEnvelope } from '../domain/envelope-mapping';
import type { RoutingEvent } from '../domain/events';
import { listQueueStats, type QueueStatsView } from '../domain/queries';
import { createState, evolveAll, type TenantRoutingState } from '../domain/state';
import { inputMeaning } from './input-commands';
import { KeyedLock } from './keyed-lock';

/** Envelope `source` of every routing event. */
export const ROUTING_SOURCE = 'routing';

import { noMetrics, type RoutingMetrics } from './metrics';
import { PartitionState } from './partition-state';
import type {
  ChangelogEntry,
  ChangelogReader,
  DeadLetterSink,
  RejectedInput,
  SnapshotStore,
  TickSink,
} from './ports';

/** One consumed input record. */
export interface InputRecord {
  topic: string;
  partition: number;
  offset: string;
  envelope: Envelope;
}

export interface OwnerOptions {
  /** Input topics; the owner of partition p must hold partition p of every one of them. */
  inputTopics: readonly string[];
  changelogTopic: string;
  changelog: ChangelogReader;
  snapshots: SnapshotStore;
  ticks: TickSink;
  deadLetters: DeadLetterSink;
  clock: () => number;
  logger: {
    info(o: object, m: string): void;
    warn(o: object, m: string): void;
    error(o: object, m: string): void;
  };
  metrics?: RoutingMetrics;
  snapshotEveryEvents: number;
  snapshotIntervalMs: number;
  /** How long a snapshot, or the next batch of the partition, waits for the last events to be seen committed. */
  confirmTimeoutMs?: number;
  idempotencyWindow?: number;
}

export class OwnerError extends Error {
  constructor(
    readonly code: 'RTG_ERR_PARTIAL_OWNERSHIP' | 'RTG_ERR_NOT_RECOVERED',
    message: string,
  ) {
    super(message);
    this.name = 'OwnerError';
  }
}

/** A tick appended and not yet decided is not appended again for this long. */
const TICK_RETRY_MS = 5000;

/**
 * The routing owner: holds the state of the partitions the consumer group gave it, recovers them
 * (snapshot + changelog), decides input batches, asks for ticks and writes snapshots. It knows Kafka
 * only through the ports; the transactional loop commits what `process` returns.
 */
export class RoutingOwner {
  private readonly partitions = new Map<number, PartitionState>();
  /** Input topics held, per partition number. */
  private readonly held = new Map<number, Set<string>>();
  private readonly lock = new KeyedLock<number>();
  private readonly pendingTicks = new Map<string, number>();
  private readonly confirmWaiters = new Map<number, () => void>();
  /** Per partition: releases its lock once the last decided batch is seen committed. */
  private readonly commitWaits = new Map<
    number,
    { topic: string; eventId: string; release: () => void; timer: NodeJS.Timeout }
  >();
  private readonly metrics: RoutingMetrics;
  private recovering = 0;
  private assignedOnce = false;
  private stopping = false;
  private lastNow = 0;

  constructor(private readonly opts: OwnerOptions) {
    this.metrics = opts.metrics ?? noMetrics;
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
      if (!this.partitions.has(partition)) fresh.add(partition);
    }
    // Recovery holds the partitions' locks: batches of p (the loop may retry one after a failure
    // while p recovers) wait for the state instead of failing.
    const sorted = [...fresh].sort((a, b) => a - b);
    const releases: (() => void)[] = [];
    this.recovering++;
    try {
      for (const p of sorted) releases.push(await this.lock.acquire(p));
      const missing = sorted.filter((p) => !this.partitions.has(p));
      if (missing.length > 0) await this.recover(missing);
    } finally {
      for (const release of releases) release();
      this.recovering--;
      this.assignedOnce = true;
    }
  }

  /** Any input topic of p revoked drops p's state: it may be ahead of the log after an abort. */
  async onRevoked(parts: readonly { topic: string; partition: number }[]): Promise<void> {
    const dropped = new Set<number>();
    for (const { topic, partition } of parts) {
      this.held.get(partition)?.delete(topic);
      if (this.held.get(partition)?.size === 0) this.held.delete(partition);
      dropped.add(partition);
    }
    for (const p of dropped) {
      // A revocation after a failed transaction: its events will never be seen, stop waiting for them.
      this.releaseCommitWait(p);
      await this.lock.run(p, async () => {
        if (this.stopping)
          await this.snapshotLocked(p).catch((err) =>
            this.opts.logger.warn({ err, partition: p }, 'final snapshot failed'),
          );
        this.partitions.delete(p);
      });
    }
  }

  /** Ready once the group assigned something (or nothing) and no recovery is running. */
  ready(): boolean {
    return this.assignedOnce && this.recovering === 0;
  }

  ownedPartitions(): number[] {
    return [...this.partitions.keys()].sort((a, b) => a - b);
  }

  /** Stops asking for ticks; the next revocations write final snapshots. */
  beginShutdown(): void {
    this.stopping = true;
  }

  // --- recovery -----------------------------------------------------------------------------------

  private async recover(parts: number[]): Promise<void> {
    const started = this.opts.clock();
    const stored = await this.opts.snapshots.loadLatest(parts);
    const from = new Map(parts.map((p) => [p, stored.get(p)?.changelogOffset ?? 0n] as [number, bigint]));
    const states = new Map<number, PartitionState>();
    const early = new Map<number, ChangelogEntry[]>();
    const replayed = new Map<number, number>();
    const apply = (st: PartitionState, { partition, offset, envelope }: ChangelogEntry) => {
      const event = eventFromEnvelope(envelope);
      if (!event) return;
      st.replayed(envelope.tenantId, event, offset);
      replayed.set(partition, (replayed.get(partition) ?? 0) + 1);
    };
    // The changelog read starts at once (its offsets are in the snapshot records); snapshots are
    // decoded meanwhile, and what arrives for a partition not decoded yet waits in `early`.
    const reading = this.opts.changelog.replay(from, (entry) => {
      const st = states.get(entry.partition);
      if (st) apply(st, entry);
      else {
        const waiting = early.get(entry.partition);
        if (waiting) waiting.push(entry);
        else early.set(entry.partition, [entry]);
      }
    });
    try {
      for (const p of parts) {
        await new Promise((resolve) => setImmediate(resolve));
        const snap = stored.get(p);
        const st = snap
          ? PartitionState.fromStored(snap, this.opts.idempotencyWindow)
          : new PartitionState(p, started, this.opts.idempotencyWindow);
        for (const entry of early.get(p) ?? []) apply(st, entry);
        early.delete(p);
        states.set(p, st);
      }
    } finally {
      await reading;
    }
    const seconds = (this.opts.clock() - started) / 1000;
    for (const [p, st] of states) {
      st.lastSnapshotAt = started;
      // Only install what is still ours (a revocation may have come while reading).
      if (this.held.has(p)) this.partitions.set(p, st);
      this.metrics.recovered(p, seconds, replayed.get(p) ?? 0);
    }
    this.opts.logger.info(
      {
        partitions: parts,
        snapshots: stored.size,
        replayed: [...replayed.values()].reduce((a, b) => a + b, 0),
        seconds,
      },
      'routing partitions recovered',
    );
  }

  // --- processing ---------------------------------------------------------------------------------

  /**
   * Decides one input batch of one partition; returns the changelog envelopes to commit with it. The
   * partition stays locked until those envelopes are seen committed (through `onCommitted`) or the
   * next batch of the same input topic arrives, so the batches of its four input topics, each
   * committed by its own transactional id, reach the changelog in the order they were decided, while
   * other partitions proceed in parallel.
   */
  async process(batch: readonly InputRecord[], partition: number): Promise<Envelope[]> {
    // The loop hands over the next batch of an input partition only after the previous one committed:
    // a wait for the same input topic is over already.
    const topic = batch[0]?.topic;
    if (topic !== undefined && this.commitWaits.get(partition)?.topic === topic)
      this.releaseCommitWait(partition);
    const release = await this.lock.acquire(partition);
    let out: Envelope[] = [];
    try {
      out = await this.decideBatch(batch, partition);
    } catch (err) {
      release();
      throw err;
    }
    const last = out[out.length - 1];
    if (last) this.holdUntilCommitted(partition, topic ?? '', last.eventId, release);
    else release();
    return out;
  }

  private holdUntilCommitted(partition: number, topic: string, eventId: string, release: () => void): void {
    const timer = setTimeout(() => {
      this.opts.logger.warn(
        { partition, eventId },
        'batch not seen committed in time; releasing the partition',
      );
      this.releaseCommitWait(partition);
    }, this.opts.confirmTimeoutMs ?? 5000);
    timer.unref();
    this.commitWaits.set(partition, { topic, eventId, release, timer });
  }

  private releaseCommitWait(partition: number): void {
    const w = this.commitWaits.get(partition);
    if (!w) return;
    clearTimeout(w.timer);
    this.commitWaits.delete(partition);
    w.release();
  }

  private async decideBatch(batch: readonly InputRecord[], partition: number): Promise<Envelope[]> {
    const topics = this.held.get(partition);
    if (!topics || this.opts.inputTopics.some((t) => !topics.has(t)))
      throw new OwnerError(
        'RTG_ERR_PARTIAL_OWNERSHIP',
        `partition ${partition}: this member does not hold every input topic (${[...(topics ?? [])].join(', ')}); the group assignment must keep partition numbers together`,
      );
    const st = this.partitions.get(partition);
    if (!st) throw new OwnerError('RTG_ERR_NOT_RECOVERED', `partition ${partition} has no recovered state`);
    const first = batch[0];
    if (first)
      this.metrics.inputLag(Math.max(0, this.opts.clock() - msFromTs(first.envelope.recordedAt)) / 1000);
    const out: Envelope[] = [];
    const rejected: RejectedInput[] = [];
    let decisions = 0;
    for (const rec of batch) {
      const env = rec.envelope;
      const meaning = inputMeaning(env);
      if (meaning.kind === 'ignored') continue;
      if (meaning.kind === 'invalid') {
        rejected.push({ ...rec, code: 'RTG_ERR_INVALID_INPUT', reason: meaning.reason });
        continue;
      }
      const state = st.tenant(env.tenantId);
      const now = meaning.now ?? this.now();
      if (meaning.command.type === 'Tick') this.pendingTicks.delete(env.tenantId);
      let events: RoutingEvent[];
      try {
        events = decide(state, meaning.command, now);
      } catch (err) {
        // decide is pure: the state is untouched, so the input can be set aside and the rest go on.
        rejected.push({ ...rec, code: 'RTG_ERR_DECIDE_FAILED', reason: (err as Error).message });
        continue;
      }
      decisions++;
      if (events.length === 0) continue;
      evolveAll(state, events);
      st.decided(events);
      this.observe(state, events);
      const correlation = env.correlationId || env.aggregateId;
      for (const e of events) out.push(eventToEnvelope(env.tenantId, e, correlation));
    }
    if (rejected.length > 0) {
      await this.opts.deadLetters.deadLetter(rejected);
      for (const r of rejected) this.metrics.deadLettered(r.code);
    }
    this.metrics.decided(decisions);
    this.metrics.eventsProduced(out.length);
    return out;
  }

  private now(): number {
    this.lastNow = Math.max(this.lastNow, this.opts.clock());
    return this.lastNow;
  }

  private observe(state: TenantRoutingState, events: readonly RoutingEvent[]): void {
    let expired = 0;
    for (const e of events) {
      if (e.type === 'OfferExpired') expired++;
      else if (e.type === 'ConversationOffered') {
        const c = state.conversations.get(e.conversationId);
        if (c) this.metrics.waited(Math.max(0, e.at - c.waitingSince) / 1000);
      }
    }
    if (expired > 0) this.metrics.offersExpired(expired);
  }

  // --- time ---------------------------------------------------------------------------------------

  /** One process-level tick: asks for due time-driven work and writes due snapshots. */
  async tick(): Promise<void> {
    if (this.stopping) return;
    const now = this.opts.clock();
    const due: { tenantId: string; now: number }[] = [];
    for (const st of this.partitions.values()) {
      for (const [tenantId, state] of st.tenants) {
        const deadline = nextDeadline(state);
        if (deadline === undefined || deadline > now) continue;
        const pending = this.pendingTicks.get(tenantId);
        if (pending !== undefined && now - pending < TICK_RETRY_MS) continue;
        this.pendingTicks.set(tenantId, now);
        due.push({ tenantId, now });
      }
    }
    if (due.length > 0) await this.opts.ticks.appendTicks(due);
    for (const st of [...this.partitions.values()]) {
      const byCount = st.eventsSinceSnapshot >= this.opts.snapshotEveryEvents;
      const byTime = st.eventsSinceSnapshot > 0 && now - st.lastSnapshotAt >= this.opts.snapshotIntervalMs;
      if (byCount || byTime) await this.snapshot(st.partition);
    }
  }

  // --- snapshots ----------------------------------------------------------------------------------

  /** Called by the changelog tail for every committed routing event it sees. */
  onCommitted(partition: number, offset: bigint, eventId: string): void {
    if (this.commitWaits.get(partition)?.eventId === eventId) this.releaseCommitWait(partition);
    const st = this.partitions.get(partition);
    if (!st || st.confirmed || eventId !== st.lastEventId) return;
    st.coveredOffset = offset + 1n;
    st.confirmed = true;
    this.confirmWaiters.get(partition)?.();
  }

  /** Writes a snapshot of p once its last decided event is known committed; false when it could not. */
  snapshot(partition: number): Promise<boolean> {
    return this.lock.run(partition, () => this.snapshotLocked(partition));
  }

  private async snapshotLocked(partition: number): Promise<boolean> {
    const st = this.partitions.get(partition);
    if (!st) return false;
    if (!st.confirmed && !(await this.confirmed(partition, st))) {
      this.opts.logger.warn(
        { partition, lastEventId: st.lastEventId },
        'snapshot skipped: last event not seen committed',
      );
      return false;
    }
    const now = this.opts.clock();
    const stored = st.toStored(now);
    const bytes = await this.opts.snapshots.save(stored);
    st.eventsSinceSnapshot = 0;
    st.lastSnapshotAt = now;
    st.snapshotTakenAt = now;
    this.metrics.snapshotWritten(partition, bytes);
    return true;
  }

  private confirmed(partition: number, st: PartitionState): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => finish(false), this.opts.confirmTimeoutMs ?? 5000);
      const finish = (ok: boolean) => {
        clearTimeout(timer);
        this.confirmWaiters.delete(partition);
        resolve(ok);
      };
      this.confirmWaiters.set(partition, () => finish(st.confirmed));
    });
  }

  // --- queries ------------------------------------------------------------------------------------

  /** The live state of a tenant if this replica owns it. */
  tenantState(tenantId: string): TenantRoutingState | undefined {
    for (const st of this.partitions.values()) {
      const s = st.tenants.get(tenantId);
      if (s) return s;
    }
    return undefined;
  }

  /** Tenants with state in partition p. */
  tenantsOf(partition: number): string[] {
    return [...(this.partitions.get(partition)?.tenants.keys() ?? [])].sort();
  }

  /** Whether this replica owns partition p. */
  owns(partition: number): boolean {
    return this.partitions.has(partition);
  }

  /** Queue stats of a tenant of partition p (a tenant not seen yet has the initial config's queues). */
  queueStats(tenantId: string, partition: number): QueueStatsView[] | undefined {
    const st = this.partitions.get(partition);
    if (!st) return undefined;
    return listQueueStats(st.tenants.get(tenantId) ?? createState(), this.opts.clock());
  }

  /** Seconds since each owned partition's last snapshot (or since recovery when none), for metrics. */
  snapshotAges(): { partition: number; seconds: number }[] {
    const now = this.opts.clock();
    return [...this.partitions.values()].map((st) => ({
      partition: st.partition,
      seconds: st.snapshotTakenAt > 0 ? (now - st.snapshotTakenAt) / 1000 : -1,
    }));
  }

  waitingByQueue(): { tenantId: string; queueId: string; waiting: number }[] {
    const out: { tenantId: string; queueId: string; waiting: number }[] = [];
    for (const st of this.partitions.values())
      for (const [tenantId, state] of st.tenants)
        for (const q of state.queues.values())
          if (q.waiting > 0) out.push({ tenantId, queueId: q.queueId, waiting: q.waiting });
    return out;
  }
}
