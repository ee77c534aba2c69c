import { type Envelope, msFromTs, newEnvelope } from '@switchboard/contracts';
import {
  agentMessage,
  configApplied,
  customerMessage,
  queued,
  started,
  TargetKind,
  target,
} from '../../test/support/scenario';
import { slaTopics } from '../config';
import { snapshotEnvelope, tickEnvelope } from './codec';
import { noMetrics, type SlaMetrics } from './metrics';
import { mergeByTime, SlaOwner } from './sla-owner';
import { MemoryLog, MemorySnapshots, MemoryTicks, normalized, runBatch } from './testing';

const topics = slaTopics('t.');
const T0 = Date.UTC(2026, 10, 23, 9, 0);
const policies = [
  {
    id: 'std',
    pauseWhilePending: true,
    targets: [target(TargetKind.FIRST_RESPONSE, 60, [50]), target(TargetKind.NEXT_RESPONSE, 30, [50])],
  },
];
const silent = { info: () => {}, warn: () => {}, error: () => {} };

let n = 0;
const input = (tenant: string, aggregateId: string, payload: Envelope['payload'], at: number) =>
  newEnvelope({
    eventId: `in-${++n}`,
    tenantId: tenant,
    aggregateId,
    occurredAtMs: at,
    source: 'test',
    payload,
  });

function owner(
  log: MemoryLog,
  opts: { every?: number; ignoreSnapshots?: boolean; now?: () => number; metrics?: SlaMetrics } = {},
) {
  const ticks = new MemoryTicks();
  const finals = new MemorySnapshots();
  const errors: object[] = [];
  const o = new SlaOwner({
    topics,
    log,
    ticks,
    finalSnapshots: finals,
    clock: opts.now ?? (() => T0),
    logger: { ...silent, error: (x: object) => errors.push(x) },
    snapshotEveryEvents: opts.every ?? 1e9,
    snapshotIntervalMs: 1e12,
    ignoreSnapshots: opts.ignoreSnapshots ?? false,
    ...(opts.metrics ? { metrics: opts.metrics } : {}),
  });
  return { o, ticks, finals, errors };
}

const baseOptions = (log: MemoryLog) => ({
  topics,
  log,
  ticks: new MemoryTicks(),
  finalSnapshots: new MemorySnapshots(),
  clock: () => T0,
  logger: silent,
  snapshotEveryEvents: 1e9,
  snapshotIntervalMs: 1e12,
});

const allOf = (o: SlaOwner, p: number) => o.topics.map((topic) => ({ topic, partition: p }));
const kinds = (envs: Envelope[]) =>
  envs.map((e) =>
    e.payload.case === 'slaPartitionSnapshot' ? 'snapshot' : `${e.payload.case} ${e.aggregateId}`,
  );

/** A history on partitions 0 and 1: two tenants, conversations, routing events and ticks. */
async function history(log: MemoryLog, o: SlaOwner) {
  const batch = (topic: string, p: number, envs: Envelope[]) =>
    runBatch(log, o, topic, p, envs, topics.snapshots);
  await batch(topics.config, 0, [input('acme', 'acme', configApplied(1, policies), T0)]);
  await batch(topics.config, 1, [input('globex', 'globex', configApplied(1, policies), T0)]);
  for (let i = 0; i < 6; i++) {
    const at = T0 + i * 10_000;
    await batch(topics.conversations, 0, [input('acme', `a${i}`, started(), at)]);
    await batch(topics.conversations, 1, [input('globex', `g${i}`, started(), at)]);
    if (i % 2 === 0) {
      await batch(topics.conversations, 0, [input('acme', `a${i}`, agentMessage(), at + 1000)]);
      await batch(topics.conversations, 0, [input('acme', `a${i}`, customerMessage(), at + 2000)]);
    }
    await batch(topics.routing, 1, [input('globex', `g${i}`, queued(`g${i}`, 'q', 1), at + 3000)]);
    await batch(topics.ticks, 0, [tickEnvelope('acme', 0, at + 5000)]);
    await batch(topics.ticks, 1, [tickEnvelope('globex', 1, at + 5000)]);
  }
}

describe('SlaOwner', () => {
  it('refuses a batch of a partition it has not recovered', async () => {
    const log = new MemoryLog();
    const { o } = owner(log);
    await expect(o.process([], topics.conversations, 0)).rejects.toMatchObject({
      code: 'SLA_ERR_NOT_RECOVERED',
    });
  });

  it('is ready once the assignment is recovered; given a due deadline, the tick asks for tick commands at most every gap, and a tick fires the timers', async () => {
    const log = new MemoryLog();
    let now = T0;
    const outcomes: string[] = [];
    const metrics: SlaMetrics = {
      ...noMetrics,
      outcome: (tenant, kind) => outcomes.push(`${tenant} ${kind}`),
    };
    const { o, ticks } = owner(log, { now: () => now, metrics });
    expect(o.ready()).toBe(false);
    await o.onAssigned(allOf(o, 0));
    expect(o.ready()).toBe(true);
    expect(o.ownedPartitions()).toEqual([0]);
    await runBatch(
      log,
      o,
      topics.config,
      0,
      [input('acme', 'acme', configApplied(1, policies), T0)],
      topics.snapshots,
    );
    const out = await runBatch(
      log,
      o,
      topics.conversations,
      0,
      [input('acme', 'c1', started(), T0)],
      topics.snapshots,
    );
    expect(kinds(out)).toEqual(['slaClockStarted c1']);
    expect(o.pendingTimers()).toBe(1);
    expect(o.nextDeadline()).toBe(T0 + 30_000);

    now = T0 + 10_000;
    await o.tick(now);
    expect(ticks.appended).toHaveLength(0); // nothing due yet

    now = T0 + 61_000;
    await o.tick(now);
    await o.tick(now + 50); // within the gap: not asked again
    expect(ticks.appended).toHaveLength(1);
    expect(o.nextDeadline()).toBe(now + 100); // the ticker wakes when the next may be asked
    await o.tick(now + 100);
    expect(ticks.appended).toHaveLength(2);
    const tick = ticks.appended[0]!;
    expect(tick.tenantId).toBe('acme'); // keyed by a tenant of the partition: lands on it
    expect(tick.payload.case === 'slaTimerTick' && tick.payload.value.partition).toBe(0);

    const fired = await runBatch(log, o, topics.ticks, 0, [tick], topics.snapshots);
    expect(kinds(fired)).toEqual(['slaWarningRaised c1', 'slaBreached c1']);
    const breach = fired[1]!;
    expect(breach.payload.case === 'slaBreached' && msFromTs(breach.payload.value.breachedAt)).toBe(
      T0 + 60_000,
    );
    expect(msFromTs(breach.occurredAt)).toBe(T0 + 61_000); // decided at the tick's now
    expect(outcomes).toEqual(['acme breached']); // counted for the attainment alert
    expect(o.pendingTimers()).toBe(0);
    expect(o.nextDeadline()).toBe(Number.POSITIVE_INFINITY);
    await o.tick(now + 500);
    expect(ticks.appended).toHaveLength(2); // nothing due: no more ticks
    // The second tick, decided later, finds nothing left to fire.
    expect(await runBatch(log, o, topics.ticks, 0, [ticks.appended[1]!], topics.snapshots)).toEqual([]);
  });

  it('retries a failing recovery, and is not ready while a partition it holds has no state', async () => {
    class FlakyLog extends MemoryLog {
      failures = 0;
      constructor(private readonly failFirst: number) {
        super();
      }
      override async committed(topic: string) {
        if (this.failures < this.failFirst) {
          this.failures++;
          throw new Error('not the leader');
        }
        return super.committed(topic);
      }
    }
    const flaky = new FlakyLog(2);
    const a = new SlaOwner({ ...baseOptions(flaky), recoveryBackoffMs: 1 });
    await a.onAssigned(allOf(a, 0));
    expect(a.ready()).toBe(true);
    expect(a.ownedPartitions()).toEqual([0]);

    const broken = new FlakyLog(1e9);
    const b = new SlaOwner({ ...baseOptions(broken), recoveryBackoffMs: 1 });
    await expect(b.onAssigned(allOf(b, 0))).rejects.toThrow('not the leader');
    expect(b.ready()).toBe(false);
  });

  it('ignores a tick meant for another partition and inputs it has no use for', async () => {
    const log = new MemoryLog();
    const { o } = owner(log);
    await o.onAssigned(allOf(o, 0));
    await runBatch(
      log,
      o,
      topics.config,
      0,
      [input('acme', 'acme', configApplied(1, policies), T0)],
      topics.snapshots,
    );
    await runBatch(log, o, topics.conversations, 0, [input('acme', 'c1', started(), T0)], topics.snapshots);
    expect(
      await runBatch(log, o, topics.ticks, 0, [tickEnvelope('acme', 5, T0 + 120_000)], topics.snapshots),
    ).toEqual([]);
    expect(o.pendingTimers()).toBe(1);
  });

  it('recovery from snapshot + changelog + inputs since, and a fresh replay of the whole logs, both equal the live state', async () => {
    const log = new MemoryLog();
    const { o } = owner(log, { every: 4 });
    await o.onAssigned([...allOf(o, 0), ...allOf(o, 1)]);
    await history(log, o);
    const snapshots = log.partition(topics.snapshots, 0);
    expect(snapshots.length).toBeGreaterThan(2);
    // Changes after the last snapshot: the replay has work to do.
    await runBatch(
      log,
      o,
      topics.conversations,
      0,
      [input('acme', 'late', started(), T0 + 100_000)],
      topics.snapshots,
    );

    for (const ignoreSnapshots of [false, true]) {
      const again = owner(log, { ignoreSnapshots });
      await again.o.onAssigned([...allOf(again.o, 0), ...allOf(again.o, 1)]);
      expect(again.errors).toEqual([]);
      for (const p of [0, 1]) expect(normalized(again.o.stateOf(p))).toEqual(normalized(o.stateOf(p)));
    }
  });

  it('moves the changelog scan start past events located after a snapshot, and recovery from such a snapshot still equals the live state', async () => {
    const log = new MemoryLog();
    const { o } = owner(log, { every: 3 });
    await o.onAssigned([...allOf(o, 0), ...allOf(o, 1)]);
    await history(log, o);
    await new Promise((r) => setImmediate(r)); // the background location settles
    await runBatch(
      log,
      o,
      topics.conversations,
      0,
      [input('acme', 'x', started(), T0 + 90_000)],
      topics.snapshots,
    );
    await runBatch(
      log,
      o,
      topics.conversations,
      0,
      [input('acme', 'y', started(), T0 + 91_000)],
      topics.snapshots,
    );
    await runBatch(
      log,
      o,
      topics.conversations,
      0,
      [input('acme', 'z', started(), T0 + 92_000)],
      topics.snapshots,
    );
    const last = log
      .partition(topics.snapshots, 0)
      .map((e) => (e.payload.case === 'slaPartitionSnapshot' ? e.payload.value : undefined))
      .filter((s) => s?.partition === 0)
      .pop();
    expect(last?.state?.changelogOffset).toBeGreaterThan(0n);

    const again = owner(log);
    await again.o.onAssigned(allOf(again.o, 0));
    expect(again.errors).toEqual([]);
    expect(normalized(again.o.stateOf(0))).toEqual(normalized(o.stateOf(0)));
  });

  it('given a snapshot whose last event is not in the changelog, rebuilds from the whole logs and says so', async () => {
    const log = new MemoryLog();
    const { o } = owner(log);
    await o.onAssigned(allOf(o, 0));
    await runBatch(
      log,
      o,
      topics.config,
      0,
      [input('acme', 'acme', configApplied(1, policies), T0)],
      topics.snapshots,
    );
    await runBatch(log, o, topics.conversations, 0, [input('acme', 'c1', started(), T0)], topics.snapshots);
    log.append(topics.snapshots, 0, [
      snapshotEnvelope(
        0,
        { $typeName: 'switchboard.sla.v1.SlaSnapshot', tenants: [], inputOffsets: [], changelogOffset: 0n },
        'sla/nowhere',
        T0,
      ),
    ]);

    const again = owner(log);
    await again.o.onAssigned(allOf(again.o, 0));
    expect(again.errors).toEqual([
      expect.objectContaining({ code: 'SLA_ERR_RECOVERY_FAILED', partitions: [0] }),
    ]);
    expect(normalized(again.o.stateOf(0))).toEqual(normalized(o.stateOf(0)));
  });

  it('recovers again when the committed offsets moved between its recovery and the fencing (a zombie committed)', async () => {
    const log = new MemoryLog();
    const { o } = owner(log);
    await o.onAssigned(allOf(o, 0));
    log.append(topics.conversations, 0, [input('acme', 'c1', started(), T0)]);
    log.commit(topics.conversations, 0, 1n); // the old owner's last transaction lands after our recovery
    await expect(
      o.process([{ offset: '1', envelope: input('acme', 'c2', started(), T0) }], topics.conversations, 0),
    ).rejects.toMatchObject({ code: 'SLA_ERR_STALE_RECOVERY' });
  });

  it('on a clean shutdown writes a final snapshot per partition, but never of a partition whose transaction failed', async () => {
    const log = new MemoryLog();
    const { o, finals } = owner(log);
    await o.onAssigned([...allOf(o, 0), ...allOf(o, 1)]);
    await runBatch(
      log,
      o,
      topics.config,
      0,
      [input('acme', 'acme', configApplied(1, policies), T0)],
      topics.snapshots,
    );
    o.onTransactionFailed(1);
    o.beginShutdown();
    await o.onRevoked([...allOf(o, 0), ...allOf(o, 1)]);
    expect(finals.saved.map((e) => e.tenantId)).toEqual(['sla-0']);
    expect(o.ownedPartitions()).toEqual([]);
    const snap = finals.saved[0]!.payload;
    expect(
      snap.case === 'slaPartitionSnapshot' &&
        snap.value.state?.inputOffsets.find((x) => x.topic === topics.config)?.offset,
    ).toBe(1n);
  });

  it('mergeByTime keeps each topic in order and takes the earlier record time across topics', () => {
    const a = [
      { at: 1, id: 'a1' },
      { at: 5, id: 'a2' },
      { at: 3, id: 'a3' },
    ];
    const b = [
      { at: 2, id: 'b1' },
      { at: 4, id: 'b2' },
    ];
    expect(mergeByTime([a, b]).map((r) => r.id)).toEqual(['a1', 'b1', 'b2', 'a2', 'a3']);
  });
});
