import { msFromTs } from '@switchboard/contracts';
import type { ConsumedEnvelope } from '@switchboard/kafka';
import {
  collect,
  freshTopics,
  input,
  instanceEnv,
  kafkaClient,
  ready,
  send,
  startChild,
  stopChild,
  waitUntil,
} from './helpers';
import { configApplied, started, TargetKind, target } from './support/scenario';

const PARTITIONS = 3;
const TARGET_S = 4;
const policies = [{ id: 'std', targets: [target(TargetKind.FIRST_RESPONSE, TARGET_S, [50])] }];
const tenants = ['t0', 't1', 't2', 't3', 't4', 't5'];

describe('sla-timer: SIGKILL while timers are due', () => {
  const kafka = kafkaClient('sla-sigkill');

  it('after a restart each warning and breach is committed exactly once, overdue ones with the time they should have had', async () => {
    const { prefix, topics, cleanup } = await freshTopics(kafka, PARTITIONS);
    const env = instanceEnv(prefix, PARTITIONS, { SLA_SNAPSHOT_EVERY_EVENTS: '25' });
    const out: ConsumedEnvelope[] = [];
    const collector = await collect(kafka, topics.sla, out);
    const producer = kafka.producer();
    let first = await startChild(env);
    try {
      await waitUntil('first instance ready', () => ready(first.port), 60_000);
      await producer.connect();
      await send(
        producer,
        topics.config,
        tenants.map((t) => input(t, t, configApplied(1, policies), Date.now())),
      );

      // Wave A: 30 conversations; wave B: 30 more, started when A begins to breach.
      const startedAt = new Map<string, number>();
      const wave = async (name: string) => {
        const at = Date.now();
        const ids = Array.from({ length: 30 }, (_, i) => `${name}${i}`);
        for (const id of ids) startedAt.set(id, at);
        await send(
          producer,
          topics.conversations,
          ids.map((id, i) => input(tenants[i % tenants.length]!, id, started(), at)),
        );
      };
      await wave('a');
      const breaches = () => out.filter((c) => c.envelope.payload.case === 'slaBreached');
      await waitUntil('first breaches of wave A', () => breaches().length > 0, 60_000);
      await wave('b');
      // Killed with wave A partly breached and all of wave B's warnings and breaches still to come.
      await stopChild(first.child, 'SIGKILL');
      const killedAt = Date.now();
      const beforeRestart = breaches().length;
      expect(beforeRestart).toBeLessThan(60);

      // Down long enough for wave B's timers to be overdue.
      await new Promise((r) => setTimeout(r, TARGET_S * 1000 + 1000));
      first = await startChild(env);
      await waitUntil('all 60 breaches', () => breaches().length >= 60, 90_000);
      // Anything extra would come with the ticks right after recovery: give them time to show.
      await new Promise((r) => setTimeout(r, 3000));

      const count = new Map<string, number>();
      for (const c of out) count.set(c.envelope.eventId, (count.get(c.envelope.eventId) ?? 0) + 1);
      expect([...count].filter(([, n]) => n > 1)).toEqual([]);

      const fired = out.filter(
        (c) => c.envelope.payload.case === 'slaBreached' || c.envelope.payload.case === 'slaWarningRaised',
      );
      expect(fired).toHaveLength(120);
      for (const c of fired) {
        const p = c.envelope.payload;
        const origin = startedAt.get(c.envelope.aggregateId)!;
        if (p.case === 'slaBreached') expect(msFromTs(p.value.breachedAt)).toBe(origin + TARGET_S * 1000);
        if (p.case === 'slaWarningRaised') expect(msFromTs(p.value.reachedAt)).toBe(origin + TARGET_S * 500);
      }
      // Wave B breached while the service was down: fired after the restart, stamped with their deadline.
      const overdue = breaches().filter((c) => c.envelope.aggregateId.startsWith('b'));
      expect(overdue.every((c) => msFromTs(c.envelope.occurredAt) > killedAt)).toBe(true);

      // /metrics of the real composition root: pending timers, fired, lateness, lag.
      const metrics = await (await fetch(`http://127.0.0.1:${first.port}/metrics`)).text();
      for (const name of [
        'sla_pending_timers',
        'sla_timers_fired_total',
        'sla_firing_lateness_bucket',
        'sla_input_lag_bucket',
      ])
        expect(metrics).toContain(name);

      // SIGTERM: clean shutdown (exit 0) with a final snapshot per partition.
      const snapshotPartitions = async () => {
        const seen: number[] = [];
        await kafka.readToEnd({
          topic: topics.snapshots,
          onBatch: (batch) => {
            for (const c of batch)
              if (c.envelope.payload.case === 'slaPartitionSnapshot')
                seen.push(c.envelope.payload.value.partition);
          },
        });
        return seen;
      };
      const before = (await snapshotPartitions()).length;
      expect(await stopChild(first.child, 'SIGTERM')).toBe(0);
      expect((await snapshotPartitions()).slice(before).sort()).toEqual([0, 1, 2]);
    } finally {
      await stopChild(first.child, 'SIGKILL');
      await collector.stop();
      await producer.disconnect();
      await cleanup();
    }
  });
});
