import { type Envelope, msFromTs, SlaTarget } from '@switchboard/contracts';
import type { ConsumedEnvelope } from '@switchboard/kafka';
import { collect, freshTopics, inProcess, input, instanceEnv, kafkaClient, send, waitUntil } from './helpers';
import { agentMessage, configApplied, started, TargetKind, target } from './support/scenario';

const PARTITIONS = 3;
const policies = [{ id: 'std', targets: [target(TargetKind.FIRST_RESPONSE, 3, [50])] }];

const describeEvent = (e: Envelope): string => {
  const p = e.payload;
  const clock =
    'clock' in (p.value ?? {})
      ? (p.value as { clock?: { conversationId: string; target: SlaTarget } }).clock
      : undefined;
  const id = clock ? `${clock.conversationId}/${SlaTarget[clock.target]}` : '?';
  switch (p.case) {
    case 'slaClockStarted':
      return `started ${id} due=+${msFromTs(p.value.dueAt)}`;
    case 'slaWarningRaised':
      return `warning ${id} ${p.value.thresholdPercent}% at=+${msFromTs(p.value.reachedAt)}`;
    case 'slaBreached':
      return `breached ${id} at=+${msFromTs(p.value.breachedAt)}`;
    case 'slaMet':
      return `met ${id} elapsed=${p.value.elapsedMs}ms`;
    default:
      return `${p.case} ${id}`;
  }
};

describe('sla-timer service: conversation events in, SLA events out', () => {
  const kafka = kafkaClient('sla-scenario');

  it('emits started, warning, breach and met events with the times the policy gives, and serves health and metrics', async () => {
    const { prefix, topics, cleanup } = await freshTopics(kafka, PARTITIONS);
    const app = inProcess(instanceEnv(prefix, PARTITIONS), kafka);
    const out: ConsumedEnvelope[] = [];
    const collector = await collect(kafka, topics.sla, out);
    const producer = kafka.producer();
    try {
      const { httpPort } = await app.start();
      await waitUntil('ready', () => app.ready(), 60_000);
      await producer.connect();
      const tenants = ['acme', 'globex'];
      const t0 = Date.now();
      await send(
        producer,
        topics.config,
        tenants.map((t) => input(t, t, configApplied(1, policies), t0)),
      );
      // Configuration and conversations are different topics: wait for the config to be in force.
      await waitUntil(
        'configs applied',
        () =>
          tenants.every((t) =>
            app.owner
              .ownedPartitions()
              .some((p) => app.owner.stateOf(p)?.tenants.get(t)?.config !== undefined),
          ),
        30_000,
      );

      const t1 = Date.now();
      await send(producer, topics.conversations, [
        input('acme', 'c1', started(), t1),
        input('globex', 'c2', started(), t1),
        input('acme', 'c3', started(), t1),
        input('acme', 'c3', agentMessage(), t1 + 500),
      ]);
      const rel = (lines: string[]) =>
        lines.map((l) => l.replace(/\+(\d+)/g, (_, ms) => `+${Number(ms) - t1}`));
      await waitUntil(
        'breaches',
        () => out.filter((c) => c.envelope.payload.case === 'slaBreached').length === 2,
        30_000,
      );

      const byConversation = (id: string) =>
        rel(out.filter((c) => c.envelope.aggregateId === id).map((c) => describeEvent(c.envelope)));
      for (const id of ['c1', 'c2'])
        expect(byConversation(id)).toEqual([
          `started ${id}/FIRST_RESPONSE due=+3000`,
          `warning ${id}/FIRST_RESPONSE 50% at=+1500`,
          `breached ${id}/FIRST_RESPONSE at=+3000`,
        ]);
      expect(byConversation('c3')).toEqual([
        'started c3/FIRST_RESPONSE due=+3000',
        'met c3/FIRST_RESPONSE elapsed=500ms',
      ]);

      // Fired by ticks, never before their instant; keyed by the tenant, on the tenant's partition.
      for (const c of out.filter((x) => x.envelope.payload.case === 'slaBreached')) {
        const p = c.envelope.payload;
        if (p.case !== 'slaBreached') continue;
        expect(msFromTs(c.envelope.occurredAt)).toBeGreaterThanOrEqual(msFromTs(p.value.breachedAt));
        expect(c.envelope.causationId).toBe('');
        expect(c.key).toBe(c.envelope.tenantId);
      }
      expect(new Set(out.map((c) => c.envelope.eventId)).size).toBe(out.length);

      const base = `http://127.0.0.1:${httpPort}`;
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      expect((await fetch(`${base}/readyz`)).status).toBe(200);
      const metrics = await fetch(`${base}/metrics`);
      expect(metrics.status).toBe(200);
      expect(await metrics.text()).toMatch(/^sla_pending_timers 0$/m);
    } finally {
      await collector.stop();
      await producer.disconnect();
      await app.stop();
      await cleanup();
    }
  });
});
