import type { ConsumedEnvelope } from '@switchboard/kafka';
import {
  collect,
  freshTopics,
  inProcess,
  input,
  instanceEnv,
  kafkaClient,
  normalized,
  rebuilt,
  send,
  waitUntil,
} from './helpers';
import {
  agentMessage,
  assigned,
  configApplied,
  customerMessage,
  queued,
  resolved,
  started,
  TargetKind,
  target,
} from './support/scenario';

const PARTITIONS = 3;
const policies = [
  {
    id: 'std',
    pauseWhilePending: true,
    targets: [
      target(TargetKind.FIRST_RESPONSE, 2, [50]),
      target(TargetKind.NEXT_RESPONSE, 2, [50]),
      target(TargetKind.TIME_TO_ASSIGNMENT, 2, [50, 90]),
    ],
  },
];
const tenants = ['r0', 'r1', 'r2', 'r3'];

describe('sla-timer recovery', () => {
  const kafka = kafkaClient('sla-recovery');

  it('snapshot + changelog + inputs since the snapshot gives the live state, and so does a fresh replay of the whole logs', async () => {
    const { prefix, topics, cleanup } = await freshTopics(kafka, PARTITIONS);
    const env = instanceEnv(prefix, PARTITIONS, { SLA_SNAPSHOT_EVERY_EVENTS: '13' });
    const app = inProcess(env, kafka);
    const out: ConsumedEnvelope[] = [];
    const collector = await collect(kafka, topics.sla, out);
    const producer = kafka.producer();
    try {
      await app.start();
      await waitUntil('ready', () => app.ready(), 60_000);
      await producer.connect();
      await send(
        producer,
        topics.config,
        tenants.map((t) => input(t, t, configApplied(1, policies), Date.now())),
      );
      await waitUntil(
        'configs applied',
        () =>
          tenants.every((t) =>
            app.owner.ownedPartitions().some((p) => app.owner.stateOf(p)?.tenants.get(t)?.config),
          ),
        30_000,
      );

      // 40 conversations: some answered, some not (breach), some queued and assigned through routing
      // events. As in production, each topic's record times only go forward, and routing events come
      // after the conversation events they react to have been decided (the live order is then the
      // record-time order a replay uses; see docs/sla.md, "Service").
      const decidedInputs = () =>
        app.owner.ownedPartitions().reduce((n, p) => {
          for (const t of app.owner.stateOf(p)?.tenants.values() ?? []) n += t.conversations.size;
          return n;
        }, 0);
      for (const round of [0, 1]) {
        const at = Date.now();
        const conversations = [];
        const routing = [];
        for (let i = 0; i < 20; i++) {
          const id = `c${round}-${i}`;
          const tenant = tenants[i % tenants.length]!;
          conversations.push(input(tenant, id, started(), at));
          if (i % 3 === 0) conversations.push(input(tenant, id, agentMessage(), at + 300));
          if (i % 3 === 0) conversations.push(input(tenant, id, customerMessage(), at + 400));
          if (i % 4 === 0) conversations.push(input(tenant, id, resolved(), at + 900));
          if (i % 2 === 0) routing.push(input(tenant, id, queued(id, 'q1', 1), at + 1000));
          if (i % 6 === 0) routing.push(input(tenant, id, assigned(id, 'q1'), at + 1100));
        }
        const byTime = (a: { occurredAt?: { seconds: bigint; nanos: number } }, b: typeof a) =>
          Number(a.occurredAt!.seconds - b.occurredAt!.seconds) || a.occurredAt!.nanos - b.occurredAt!.nanos;
        await send(producer, topics.conversations, conversations.sort(byTime));
        await waitUntil('conversations decided', () => decidedInputs() === (round + 1) * 20, 30_000);
        await send(producer, topics.routing, routing.sort(byTime));
        await new Promise((r) => setTimeout(r, 1200));
      }
      // Quiet: no timer pending, nothing new for a while.
      await waitUntil('every timer fired or stopped', () => app.owner.pendingTimers() === 0, 60_000);
      let seen = -1;
      await waitUntil(
        'changelog quiet',
        async () => {
          const now = out.length;
          const quiet = now === seen;
          seen = now;
          if (!quiet) await new Promise((r) => setTimeout(r, 1500));
          return quiet;
        },
        60_000,
      );
      expect(out.filter((c) => c.envelope.payload.case === 'slaBreached').length).toBeGreaterThan(10);
      expect(out.filter((c) => c.envelope.payload.case === 'slaMet').length).toBeGreaterThan(5);

      // Snapshots were written in the middle of the stream (not only at the end).
      let snapshotsWritten = 0;
      await kafka.readToEnd({
        topic: topics.snapshots,
        onBatch: (batch) => {
          snapshotsWritten += batch.filter((c) => c.envelope.payload.case === 'slaPartitionSnapshot').length;
        },
      });
      expect(snapshotsWritten).toBeGreaterThan(PARTITIONS);

      const parts = app.owner.ownedPartitions();
      expect(parts).toEqual([0, 1, 2]);
      const live = new Map(parts.map((p) => [p, normalized(app.owner.stateOf(p))]));
      const fromSnapshots = await rebuilt(kafka, topics, env.SLA_GROUP_ID, parts, false);
      const fresh = await rebuilt(kafka, topics, env.SLA_GROUP_ID, parts, true);
      for (const p of parts) {
        expect(normalized(fromSnapshots.get(p))).toEqual(live.get(p));
        expect(normalized(fresh.get(p))).toEqual(live.get(p));
      }
    } finally {
      await collector.stop();
      await producer.disconnect();
      await app.stop();
      await cleanup();
    }
  });
});
