/**
 * Routing service benchmark through a real broker, with the service in its own process (src/main.ts):
 *
 *  1. load: new conversations at 1k/s and at 5k/s (open loop) on the conversations topic; measures the
 *     routing events committed per second and the latency from the input's append (acknowledged send)
 *     to the first routing event it caused being readable (read_committed) — p50/p99.
 *  2. recovery: a changelog of BENCH_RECOVERY_EVENTS (1M) events made by the core; time from process
 *     start to /readyz, first with no snapshot (full replay), then with the snapshot written by the
 *     first run's clean shutdown.
 *
 *   pnpm bench:routing                                    (root; starts Kafka unless KAFKA_BROKERS is set)
 *   BENCH_SECONDS=5 BENCH_RECOVERY_EVENTS=100000 pnpm --filter @switchboard/routing bench:service
 *   (BENCH_RATES=1000,5000; BENCH_SKIP_LOAD=1 or BENCH_SKIP_RECOVERY=1 run one half; BENCH_VERBOSE=1
 *   copies the service's logs to stderr)
 *
 * Ends with: events_per_s=… p50_ms=… p99_ms=… recovery_s=… replay_events_per_s=… (p50/p99 at 1k/s,
 * events_per_s at 5k/s, recovery_s with snapshot; the other figures follow with their own keys).
 */
import type { Envelope } from '@switchboard/contracts';
import { Channel, Presence } from '@switchboard/contracts';
import { config } from '../src/domain/testing/harness';
import { agentCommand, configApplied, started } from '../src/service/testing';
import { generateChangelog } from './service-changelog';
import {
  freshTopics,
  kafkaClient,
  percentile,
  round,
  startService,
  stopService,
  waitReady,
} from './service-support';

const PARTITIONS = 12;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const RECOVERY_EVENTS = Number(process.env.BENCH_RECOVERY_EVENTS ?? 1_000_000);
const RATES = (process.env.BENCH_RATES ?? '1000,5000').split(',').map(Number);

interface LoadResult {
  rate: number;
  sent: number;
  eventsPerS: number;
  decidedPerS: number;
  p50: number;
  p99: number;
  max: number;
}

async function load(rate: number): Promise<LoadResult> {
  const kafka = kafkaClient(`routing-bench-${rate}`);
  const env = await freshTopics(kafka, PARTITIONS);
  const tenants = Array.from({ length: 24 }, (_, i) => `load-${i}`);
  const agents = 20;
  const capacity = Math.ceil((rate * SECONDS * 1.2) / (tenants.length * agents)) + 5;
  const producer = kafka.producer({ maxBatchMessages: 2000 });
  await producer.connect();
  const patient = config({ offers: { offerTimeoutSeconds: 3600, maxMissedOffers: 0 } });
  await producer.send(
    env.topics.config,
    tenants.map((t) => configApplied(t, 1, patient)),
  );
  const setup: Envelope[] = [];
  for (const t of tenants)
    for (let a = 0; a < agents; a++) {
      setup.push(
        agentCommand(t, `agent-${a}`, `${t}-${a}-cap`, {
          case: 'setCapacity',
          value: {
            $typeName: 'switchboard.agent.v1.SetCapacity',
            channels: [
              { $typeName: 'switchboard.common.v1.ChannelCapacity', channel: Channel.CHAT, capacity },
            ],
            total: 0,
          },
        }),
        agentCommand(t, `agent-${a}`, `${t}-${a}-on`, {
          case: 'setPresence',
          value: { $typeName: 'switchboard.agent.v1.SetPresence', presence: Presence.AVAILABLE },
        }),
      );
    }
  await producer.send(env.topics.agentCommands, setup);

  const sentAt = new Map<string, number>();
  const acked = new Map<string, number>();
  const latencies: number[] = [];
  let committed = 0;
  let firstAt = 0;
  let lastAt = 0;
  let agentsReady = 0;
  const consumer = kafka.consumer({
    groupId: `bench${env.suffix}`,
    topics: [env.topics.routing],
    fromBeginning: true,
    autoCommit: false,
  });
  await consumer.run(async (batch) => {
    const now = Date.now();
    for (const r of batch) {
      if (r.envelope.payload.case === 'agentStateChanged') agentsReady++;
      const cause = r.envelope.causationId;
      // The append is its acknowledgement; an event read before the ack callback ran counts from the send.
      const appended = acked.get(cause) ?? sentAt.get(cause);
      if (appended === undefined) continue;
      if (firstAt === 0) firstAt = now;
      lastAt = now;
      committed++;
      if (r.envelope.payload.case === 'conversationQueued') latencies.push(now - appended);
    }
  });

  const service = await startService(env.suffix, PARTITIONS);
  await waitReady(service);
  while (agentsReady < tenants.length * agents) await new Promise((r) => setTimeout(r, 50));

  const started0 = Date.now();
  let sent = 0;
  const total = rate * SECONDS;
  const inflight: Promise<void>[] = [];
  while (sent < total) {
    const due = Math.min(total, Math.floor(((Date.now() - started0) / 1000) * rate));
    if (due > sent) {
      const batch = Array.from({ length: due - sent }, (_, k) =>
        started(tenants[(sent + k) % tenants.length] as string, `c${sent + k}`, `in-${rate}-${sent + k}`),
      );
      sent = due;
      const at = Date.now();
      for (const e of batch) sentAt.set(e.eventId, at);
      inflight.push(
        producer.send(env.topics.conversations, batch).then(() => {
          const at = Date.now();
          for (const e of batch) acked.set(e.eventId, at);
        }),
      );
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  await Promise.all(inflight);
  const deadline = Date.now() + 120_000;
  while (latencies.length < total && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  await stopService(service, 'SIGTERM');
  await consumer.stop();
  await producer.disconnect();
  await env.cleanup();

  latencies.sort((a, b) => a - b);
  const span = Math.max(1, lastAt - firstAt) / 1000;
  return {
    rate,
    sent: total,
    eventsPerS: round(committed / span, 0),
    decidedPerS: round(latencies.length / span, 0),
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies[latencies.length - 1] ?? Number.NaN,
  };
}

interface RecoveryRun {
  startToReadyS: number;
  recoveryS: number;
  replayed: number;
  snapshots: number;
}

async function recovery(): Promise<{ events: number; without: RecoveryRun; withSnapshot: RecoveryRun }> {
  const kafka = kafkaClient('routing-bench-recovery');
  const env = await freshTopics(kafka, PARTITIONS);
  const producer = kafka.producer({
    maxBatchMessages: 5000,
    maxBufferedMessages: 200_000,
    requestTimeoutMs: 60_000,
  });
  await producer.connect();
  const t0 = Date.now();
  const perPartition = await generateChangelog(RECOVERY_EVENTS, 48, PARTITIONS, (envelopes) =>
    producer.send(env.topics.routing, envelopes),
  );
  const events = [...perPartition.values()].reduce((a, b) => a + b, 0);
  console.log(`changelog: ${events} events written in ${round((Date.now() - t0) / 1000)} s`);
  await producer.disconnect();

  const run = async (): Promise<RecoveryRun> => {
    const begin = Date.now();
    const service = await startService(env.suffix, PARTITIONS, {
      ROUTING_SNAPSHOT_EVERY_EVENTS: String(10 * RECOVERY_EVENTS),
    });
    const readyAt = await waitReady(service);
    // The log line may still be in the pipe when /readyz answers.
    const recoveredLog = () => service.logs.find((l) => l.msg === 'routing partitions recovered');
    for (let i = 0; i < 100 && !recoveredLog(); i++) await new Promise((r) => setTimeout(r, 20));
    const log = recoveredLog() as { seconds: number; replayed: number; snapshots: number } | undefined;
    await stopService(service, 'SIGTERM'); // clean shutdown writes the snapshots the next run uses
    return {
      startToReadyS: round((readyAt - begin) / 1000, 2),
      recoveryS: round(log?.seconds ?? Number.NaN, 2),
      replayed: log?.replayed ?? 0,
      snapshots: log?.snapshots ?? 0,
    };
  };
  const without = await run();
  const withSnapshot = await run();
  await env.cleanup();
  return { events, without, withSnapshot };
}

async function main(): Promise<void> {
  const loads: LoadResult[] = [];
  for (const rate of process.env.BENCH_SKIP_LOAD ? [] : RATES) {
    const r = await load(rate);
    loads.push(r);
    console.log(
      `load ${rate}/s for ${SECONDS} s: ${r.sent} conversations, ${r.decidedPerS} decided/s, ${r.eventsPerS} routing events/s, append→commit p50 ${r.p50} ms p99 ${r.p99} ms max ${r.max} ms`,
    );
  }
  const rec = process.env.BENCH_SKIP_RECOVERY
    ? {
        events: 0,
        without: { startToReadyS: Number.NaN, recoveryS: Number.NaN, replayed: 0, snapshots: 0 },
        withSnapshot: { startToReadyS: Number.NaN, recoveryS: Number.NaN, replayed: 0, snapshots: 0 },
      }
    : await recovery();
  console.log(
    `recovery, ${rec.events} events, no snapshot: start→ready ${rec.without.startToReadyS} s (owner recovery ${rec.without.recoveryS} s, ${rec.without.replayed} replayed)`,
  );
  console.log(
    `recovery with snapshot: start→ready ${rec.withSnapshot.startToReadyS} s (owner recovery ${rec.withSnapshot.recoveryS} s, ${rec.withSnapshot.snapshots} snapshots, ${rec.withSnapshot.replayed} replayed)`,
  );
  const low = loads[0];
  const high = loads[loads.length - 1];
  const replayRate = round(rec.without.replayed / rec.without.recoveryS, 0);
  console.log(
    [
      `events_per_s=${high?.eventsPerS ?? Number.NaN}`,
      `p50_ms=${low?.p50 ?? Number.NaN}`,
      `p99_ms=${low?.p99 ?? Number.NaN}`,
      `recovery_s=${rec.withSnapshot.startToReadyS}`,
      `replay_events_per_s=${replayRate}`,
      `p50_5k_ms=${high?.p50 ?? Number.NaN}`,
      `p99_5k_ms=${high?.p99 ?? Number.NaN}`,
      `decided_5k_per_s=${high?.decidedPerS ?? Number.NaN}`,
      `recovery_nosnap_s=${rec.without.startToReadyS}`,
    ].join(' '),
  );
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
