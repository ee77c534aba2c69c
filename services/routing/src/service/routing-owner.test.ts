import { isPayload } from '@switchboard/contracts';
import { tickEnvelope } from '../adapters/kafka/kafka-sinks';
import { toSnapshot } from '../domain/snapshot';
import { config } from '../domain/testing/harness';
import { RoutingOwner } from './routing-owner';
import {
  agentCommand,
  available,
  configApplied,
  MemoryChangelog,
  MemoryDeadLetters,
  MemorySnapshots,
  MemoryTicks,
  quietLogger,
  started,
} from './testing';

const TOPICS = ['conv', 'cmd', 'cfg', 'sla'];
const holdAll = (p: number) => TOPICS.map((topic) => ({ topic, partition: p }));
const rec = (topic: string, partition: number) => (envelope: ReturnType<typeof started>, i: number) => ({
  topic,
  partition,
  offset: String(i),
  envelope,
});

function setup(now = { t: 1_700_000_100_000 }, confirmTimeoutMs = 50) {
  const changelog = new MemoryChangelog();
  const snapshots = new MemorySnapshots();
  const ticks = new MemoryTicks();
  const deadLetters = new MemoryDeadLetters();
  const make = () =>
    new RoutingOwner({
      inputTopics: TOPICS,
      changelogTopic: 'routing',
      changelog,
      snapshots,
      ticks,
      deadLetters,
      clock: () => now.t,
      logger: quietLogger,
      snapshotEveryEvents: 1_000_000,
      snapshotIntervalMs: 3_600_000,
      confirmTimeoutMs,
    });
  /** Decides a batch and appends its output to the changelog, as a committed transaction would. */
  const run = async (owner: RoutingOwner, topic: string, p: number, envs: ReturnType<typeof started>[]) => {
    const out = await owner.process(envs.map(rec(topic, p)), p);
    changelog.append(p, out);
    // What the changelog tail reports once the transaction is committed.
    const last = out[out.length - 1];
    if (last) owner.onCommitted(p, BigInt((changelog.partitions.get(p)?.length ?? 0) - 1), last.eventId);
    return out;
  };
  return { changelog, snapshots, ticks, deadLetters, make, run, now };
}

const stateBytes = (owner: RoutingOwner, tenant: string) => {
  const s = owner.tenantState(tenant);
  if (!s) throw new Error(`no state for ${tenant}`);
  return Buffer.from(toSnapshot(s)).toString('base64');
};

describe('RoutingOwner', () => {
  it('given an available agent, when a conversation starts, then it is queued and offered to that agent', async () => {
    const { make, run } = setup();
    const owner = make();
    await owner.onAssigned(holdAll(0));
    await run(owner, 'cmd', 0, available('t1', 'a1'));
    const out = await run(owner, 'conv', 0, [started('t1', 'c1')]);
    expect(out.map((e) => e.payload.case)).toEqual(['conversationQueued', 'conversationOffered']);
    const offered = out[1];
    expect(offered && isPayload(offered, 'conversationOffered') && offered.payload.value.agentId).toBe('a1');
    expect(offered?.tenantId).toBe('t1');
    expect(offered?.causationId).toBe('ev-c1');
  });

  it('given an input already decided, when it arrives again, then it has no further effect', async () => {
    const { make, run } = setup();
    const owner = make();
    await owner.onAssigned(holdAll(0));
    await run(owner, 'cmd', 0, available('t1', 'a1'));
    expect(await run(owner, 'conv', 0, [started('t1', 'c1')])).toHaveLength(2);
    expect(await run(owner, 'conv', 0, [started('t1', 'c1')])).toHaveLength(0);
  });

  it('keeps tenants of one partition apart', async () => {
    const { make, run } = setup();
    const owner = make();
    await owner.onAssigned(holdAll(0));
    await run(owner, 'cmd', 0, available('t1', 'a1'));
    const out = await run(owner, 'conv', 0, [started('t2', 'c1')]);
    expect(out.map((e) => e.payload.case)).toEqual(['conversationQueued']);
  });

  it('given a decided history, when a new owner recovers from the changelog, then its state equals the live one', async () => {
    const { make, run } = setup();
    const live = make();
    await live.onAssigned(holdAll(3));
    await run(live, 'cfg', 3, [configApplied('t1', 1, config({ offers: { offerTimeoutSeconds: 10 } }))]);
    await run(live, 'cmd', 3, [...available('t1', 'a1'), ...available('t1', 'a2')]);
    await run(
      live,
      'conv',
      3,
      [1, 2, 3, 4, 5].map((i) => started('t1', `c${i}`)),
    );
    const recovered = make();
    await recovered.onAssigned(holdAll(3));
    expect(stateBytes(recovered, 't1')).toBe(stateBytes(live, 't1'));
    // ...and it keeps deciding as the old owner would have (idempotency window included).
    expect(await recovered.process([rec('conv', 3)(started('t1', 'c1'), 0)], 3)).toHaveLength(0);
  });

  it('given a snapshot and later events, when recovering, then snapshot plus replay equals the live state', async () => {
    const { make, run, snapshots } = setup();
    const live = make();
    await live.onAssigned(holdAll(1));
    await run(live, 'cmd', 1, available('t1', 'a1'));
    expect(await live.snapshot(1)).toBe(true);
    expect(snapshots.saved[0]?.changelogOffset).toBe(2n);
    await run(live, 'conv', 1, [started('t1', 'c1'), started('t1', 'c2'), started('t1', 'c3')]);
    const recovered = make();
    await recovered.onAssigned(holdAll(1));
    expect(stateBytes(recovered, 't1')).toBe(stateBytes(live, 't1'));
  });

  it('does not snapshot a state whose last events were never seen committed', async () => {
    const { make, snapshots } = setup();
    const owner = make();
    await owner.onAssigned(holdAll(0));
    await owner.process(available('t1', 'a1').map(rec('cmd', 0)), 0);
    expect(await owner.snapshot(0)).toBe(false);
    expect(snapshots.saved).toHaveLength(0);
  });

  it('refuses to decide for a partition whose input topics it holds only in part', async () => {
    const { make } = setup();
    const owner = make();
    await owner.onAssigned([{ topic: 'conv', partition: 0 }]);
    await expect(owner.process([rec('conv', 0)(started('t1', 'c1'), 0)], 0)).rejects.toMatchObject({
      code: 'RTG_ERR_PARTIAL_OWNERSHIP',
    });
  });

  it('dead-letters invalid inputs with the reason and goes on with the batch', async () => {
    const { make, run, deadLetters } = setup();
    const owner = make();
    await owner.onAssigned(holdAll(0));
    const bad = agentCommand('t1', 'a1', 'bad-1', {
      case: 'acceptOffer',
      value: { $typeName: 'switchboard.agent.v1.AcceptOffer', conversationId: '', offerId: '' },
    });
    const out = await run(owner, 'cmd', 0, [bad, ...available('t1', 'a1')]);
    expect(out.length).toBeGreaterThan(0);
    expect(deadLetters.items).toHaveLength(1);
    expect(deadLetters.items[0]).toMatchObject({ code: 'RTG_ERR_INVALID_INPUT', topic: 'cmd', offset: '0' });
    expect(deadLetters.items[0]?.reason).toContain('conversation_id');
  });

  it('asks for a tick once an offer is due, and the tick expires it with the recorded time', async () => {
    const { make, run, ticks, now } = setup();
    const owner = make();
    await owner.onAssigned(holdAll(0));
    await run(owner, 'cfg', 0, [
      configApplied('t1', 1, config({ offers: { offerTimeoutSeconds: 5, maxMissedOffers: 0 } })),
    ]);
    await run(owner, 'cmd', 0, available('t1', 'a1'));
    await run(owner, 'conv', 0, [started('t1', 'c1')]);
    await owner.tick();
    expect(ticks.ticks).toHaveLength(0);
    now.t += 6000;
    await owner.tick();
    await owner.tick();
    expect(ticks.ticks).toEqual([{ tenantId: 't1', now: now.t }]);
    now.t += 60_000; // the decision uses the tick's time, not the clock
    const out = await run(owner, 'cmd', 0, [tickEnvelope('t1', now.t - 60_000)]);
    const expired = out.find((e) => isPayload(e, 'offerExpired'));
    expect(expired?.occurredAt?.seconds).toBe(BigInt(Math.floor((now.t - 60_000) / 1000)));
  });

  it('holds a partition until its last batch is seen committed, and releases it on revocation', async () => {
    const { make } = setup();
    const owner = make();
    await owner.onAssigned(holdAll(0));
    await owner.process(available('t1', 'a1').map(rec('cmd', 0)), 0);
    let second = false;
    const next = owner.process([rec('conv', 0)(started('t1', 'c1'), 0)], 0).then(() => {
      second = true;
    });
    await new Promise((r) => setImmediate(r));
    expect(second).toBe(false);
    await owner.onRevoked([{ topic: 'conv', partition: 0 }]);
    await expect(next).rejects.toMatchObject({ code: 'RTG_ERR_PARTIAL_OWNERSHIP' });
  });

  it('lets the next batch of the same input topic in at once: the loop gives it only after the commit', async () => {
    // Without that rule the second batch would wait the whole (hour-long) confirmation timeout.
    const { make } = setup(undefined, 3_600_000);
    const owner = make();
    await owner.onAssigned(holdAll(0));
    await owner.process(available('t1', 'a1').map(rec('cmd', 0)), 0);
    const out = await owner.process(available('t1', 'a2').map(rec('cmd', 0)), 0);
    expect(out.length).toBeGreaterThan(0);
  });

  it('drops the state of a partition when any of its inputs is revoked', async () => {
    const { make, run } = setup();
    const owner = make();
    await owner.onAssigned(holdAll(0));
    await run(owner, 'cmd', 0, available('t1', 'a1'));
    await owner.onRevoked([{ topic: 'sla', partition: 0 }]);
    expect(owner.owns(0)).toBe(false);
    await owner.onAssigned([{ topic: 'sla', partition: 0 }]);
    expect(owner.owns(0)).toBe(true);
    expect(owner.tenantState('t1')?.agents.get('a1')).toBeDefined();
  });
});
