/**
 * Projection benchmark against real Kafka and PostgreSQL (KAFKA_BROKERS, DATABASE_URL; the root
 * `pnpm bench:analytics` provides both):
 *   1. catch-up throughput: a pre-produced log of synthetic conversations, projected from scratch;
 *   2. lag under steady load: events produced at a fixed rate (recorded_at = send time), lag = the end
 *      of the first refresh cycle that makes the event visible in the read models, minus recorded_at;
 *   3. rebuild: the whole log replayed into a fresh schema (facts, then one set-based recompute).
 * Flags: --conversations N (catch-up log), --rate N (steady events/s), --seconds N (steady duration).
 * Ends with one line: events_per_s=… lag_p99_ms=… rebuild_events_per_s=…
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import path from 'node:path';
import { env, loadConfig, z } from '@switchboard/config';
import { DEFAULT_PARTITIONS } from '@switchboard/contracts';
import { createKafka } from '@switchboard/kafka';
import pino from 'pino';
import { Projector } from '../src/adapters/kafka/projector';
import { migrate } from '../src/adapters/pg/migrations';
import { rolePool } from '../src/adapters/pg/pool';
import { ProjectionStore } from '../src/adapters/pg/projection-store';
import { rebuild } from '../src/adapters/rebuild';
import { Refresher } from '../src/adapters/refresher';
import { syntheticEvents, type TopicNames } from '../test/support/synthetic';

const config = loadConfig(
  z.object({
    KAFKA_BROKERS: env.list(),
    DATABASE_URL: env.url({ protocols: ['postgres', 'postgresql'] }),
  }),
);
const logger = pino({ level: 'warn' });

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function main(): Promise<void> {
  const conversations = flag('conversations', 15_000);
  const seconds = flag('seconds', 20);
  const tag = `bench_${randomBytes(3).toString('hex')}`;
  const roles = { writer: `${tag}_writer`, analyst: `${tag}_analyst` };
  const kafka = createKafka({ brokers: [...config.KAFKA_BROKERS], clientId: 'analytics-bench' }, logger);
  const topics: TopicNames & { config: string } = {
    conversations: `bench.${tag}.conversations`,
    routing: `bench.${tag}.routing`,
    sla: `bench.${tag}.sla`,
    config: `bench.${tag}.config`,
  };
  const topicList = Object.values(topics);
  const admin = kafka.admin();
  await admin.ensureTopics(topicList.map((topic) => ({ topic, partitions: DEFAULT_PARTITIONS })));
  await migrate({ databaseUrl: config.DATABASE_URL, schema: 'analytics', roles });
  const pool = rolePool(config.DATABASE_URL, roles.writer, { asyncCommit: true });
  const store = new ProjectionStore(pool, 'analytics');
  const producer = kafka.producer({
    maxBatchMessages: 5000,
    maxBufferedMessages: 200_000,
    requestTimeoutMs: 60_000,
  });
  await producer.connect();

  const send = async (
    events: Iterable<{ topic: string; envelope: Parameters<typeof producer.send>[1][number] }>,
  ) => {
    const byTopic = new Map<string, Parameters<typeof producer.send>[1]>();
    let n = 0;
    for (const e of events) {
      const list = byTopic.get(e.topic) ?? [];
      list.push(e.envelope);
      byTopic.set(e.topic, list);
      n += 1;
    }
    await Promise.all([...byTopic].map(([topic, envs]) => producer.send(topic, envs)));
    return n;
  };

  // 1. Catch-up throughput.
  let total = 0;
  const startMs = Date.UTC(2026, 0, 5, 8, 0, 0);
  const gen = syntheticEvents({ topics, conversations, tenants: 24, startMs, run: 'catchup' });
  for (;;) {
    const chunk: { topic: string; envelope: Parameters<typeof producer.send>[1][number] }[] = [];
    // next() rather than for-of: breaking out of for-of would close the generator.
    for (let r = gen.next(); !r.done; r = gen.next()) {
      chunk.push(r.value);
      if (chunk.length >= 5_000) break;
    }
    if (chunk.length === 0) break;
    total += await send(chunk);
  }
  process.stderr.write(`produced ${total} events of ${conversations} conversations\n`);

  let committedEvents = 0;
  let measuring = false;
  const pending: { committedAt: number; recordedAt: number[] }[] = [];
  const lags: number[] = [];
  // Parts of the lag: facts durable in PostgreSQL (commit − recorded_at), and refresh cycle durations.
  const commitLags: number[] = [];
  const cycles: number[] = [];
  const groupId = `${tag}-projector`;
  const projector = new Projector({
    kafka,
    store,
    logger,
    groupId,
    topics: topicList,
    onCommitted: (b) => {
      committedEvents += b.events;
      const at = Date.now();
      if (measuring) {
        pending.push({ committedAt: at, recordedAt: b.lagsMs.map((l) => at - l) });
        commitLags.push(...b.lagsMs);
      }
    },
  });
  const refresher = new Refresher({
    store,
    logger,
    intervalMs: 200,
    kpiIntervalMs: 1000,
    onCycle: (c) => {
      if (measuring) cycles.push(c.finishedAt - c.startedAt);
      // Batches committed before the cycle started are visible in the read models when it ends.
      while (pending.length > 0 && pending[0]!.committedAt <= c.startedAt) {
        for (const r of pending.shift()!.recordedAt) lags.push(c.finishedAt - r);
      }
    },
  });
  const t0 = Date.now();
  const cpu0 = process.cpuUsage();
  await projector.start();
  refresher.start();
  while (committedEvents < total) await sleep(20);
  const factsMs = Date.now() - t0;
  await store.refreshAll();
  const catchUpMs = Date.now() - t0;
  const eventsPerS = Math.round((total * 1000) / catchUpMs);
  const cpu = process.cpuUsage(cpu0);
  const load = loadavg()[0]!.toFixed(1);
  process.stderr.write(
    `catch-up: this process used ${Math.round((cpu.user + cpu.system) / 1000)} ms of CPU = ` +
      `${((cpu.user + cpu.system) / total).toFixed(1)} µs per event; load average ${load}\n`,
  );
  process.stderr.write(
    `catch-up: ${total} events committed in ${factsMs} ms, read models and KPIs complete after ${catchUpMs} ms ` +
      `(group join included) = ${eventsPerS} events/s\n`,
  );

  // 2. Lag under steady load: half the catch-up throughput, capped at 20k events/s.
  const rate = flag('rate', Math.min(20_000, Math.round(eventsPerS / 2 / 100) * 100));
  measuring = true;
  const before = committedEvents;
  const child = spawn(
    process.execPath,
    [
      '--conditions=@switchboard/source',
      '--import',
      'tsx',
      path.join(__dirname, 'steady-producer.ts'),
      JSON.stringify({ brokers: config.KAFKA_BROKERS, topics, rate, seconds }),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout.on('data', (d) => {
    out += String(d);
  });
  await new Promise((r) => child.once('exit', r));
  const [sentText, sentMsText] = out.trim().split(' ');
  const sent = Number(sentText);
  const sentIn = Number(sentMsText);
  while (committedEvents - before < sent || pending.length > 0) await sleep(20);
  const sorted = lags.sort((a, b) => a - b);
  const lagP50 = percentile(sorted, 50);
  const lagP99 = percentile(sorted, 99);
  process.stderr.write(
    `steady: ${sent} events at ${Math.round((sent * 1000) / sentIn)} events/s for ${sentIn} ms; ` +
      `lag p50 ${lagP50} ms, p99 ${lagP99} ms, max ${sorted[sorted.length - 1] ?? 0} ms\n`,
  );
  const commitSorted = commitLags.sort((a, b) => a - b);
  const cycleSorted = cycles.sort((a, b) => a - b);
  process.stderr.write(
    `steady: facts committed after p50 ${percentile(commitSorted, 50)} ms, p99 ${percentile(commitSorted, 99)} ms; ` +
      `${cycles.length} refresh cycles of p50 ${percentile(cycleSorted, 50)} ms, p99 ${percentile(cycleSorted, 99)} ms\n`,
  );
  await projector.stop();
  await refresher.stop();

  // 3. Rebuild of the whole log into a fresh schema.
  const result = await rebuild({
    databaseUrl: config.DATABASE_URL,
    roles,
    kafka,
    logger,
    liveSchema: 'analytics',
    groupId,
    topics: topicList,
    stamp: 'bench',
    swap: false,
    idleMs: 300,
  });
  const rebuildMs = result.replayMs + result.recomputeMs;
  const rebuildPerS = Math.round((result.events * 1000) / rebuildMs);
  process.stderr.write(
    `rebuild: ${result.events} events, replay ${result.replayMs} ms (${Math.round((result.events * 1000) / result.replayMs)} events/s, ` +
      `includes the idle wait of 300 ms and the group join), recompute ${result.recomputeMs} ms\n`,
  );

  await producer.disconnect();
  await pool.end();
  await admin.deleteTopics(topicList);
  await admin.disconnect();
  process.stdout.write(
    `events_per_s=${eventsPerS} lag_p99_ms=${lagP99} rebuild_events_per_s=${rebuildPerS}\n`,
  );
  process.exit(0);
}

main().catch((err) => {
  process.stderr.write(`bench failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
