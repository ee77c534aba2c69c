/**
 * Ingestion throughput and latency over loopback against a real broker: the service runs as its own
 * process (src/main.ts), autocannon drives it from this one. Scenarios: single-event requests at full
 * speed, 100-event batches at full speed, and single events at a fixed 5k requests/s for latency.
 * Needs KAFKA_BROKERS (the root `pnpm bench:ingestion` provides a broker). Prints one line per scenario,
 * then `req_per_s=… events_per_s=… p50_ms=… p99_ms=…` (single-event req/s, batch events/s, and the
 * latency percentiles at 5k requests/s).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import { env, loadConfig, z } from '@switchboard/config';
import { freePort, waitFor } from '@switchboard/testkit';
import autocannon, { type Result } from 'autocannon';
import { stringify } from 'yaml';
import { generateKey } from '../src/auth/api-key';

const config = loadConfig(
  z.object({
    KAFKA_BROKERS: env.string().describe('Kafka bootstrap brokers'),
    BENCH_DURATION_S: env.int({ min: 1 }).default(10).describe('Seconds per measured scenario'),
    BENCH_WARMUP_S: env.int({ min: 0 }).default(5).describe('Seconds of warm-up before each scenario'),
    BENCH_TENANTS: env.int({ min: 1 }).default(8).describe('Tenants (keys) the load is spread over'),
  }),
);

const occurredAt = '2026-01-02T03:04:05.000Z';
const eventJson = (id: string) =>
  `{"id":"${id}","type":"conversation.started","conversationId":"c-${id}","occurredAt":"${occurredAt}",` +
  `"channel":"chat","customer":{"id":"u-${id}","tier":"gold"},"attributes":{"language":"en","topic":"billing"}}`;
const singleBody = eventJson('[<id>]');
const batchBody = `{"events":[${Array.from({ length: 100 }, (_, i) => eventJson(`[<id>]-${i}`)).join(',')}]}`;

async function startService(port: number, keysYaml: string): Promise<ChildProcess> {
  const root = path.resolve(__dirname, '..');
  const child = spawn(
    process.execPath,
    ['--conditions=@switchboard/source', '--import', 'tsx', 'src/main.ts'],
    {
      cwd: root,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: {
        PATH: process.env.PATH,
        KAFKA_BROKERS: config.KAFKA_BROKERS,
        HTTP_HOST: '127.0.0.1',
        HTTP_PORT: String(port),
        // Production settings for a busy instance: no per-request log lines, 1% of traces recorded
        // (recording every span costs about half the throughput; see docs/benchmarks.md).
        LOG_LEVEL: 'warn',
        OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
        OTEL_TRACES_SAMPLER_ARG: '0.01',
        INGESTION_API_KEYS: keysYaml,
        INGESTION_CREATE_TOPIC: 'true',
      },
    },
  );
  await waitFor(
    'ingestion /readyz',
    async () => {
      if (child.exitCode !== null) throw new Error(`ingestion exited with code ${child.exitCode}`);
      return fetch(`http://127.0.0.1:${port}/readyz`).then(
        (r) => r.ok,
        () => false,
      );
    },
    60_000,
  );
  return child;
}

interface Scenario {
  name: string;
  body: string;
  events: number;
  connections: number;
  overallRate?: number;
}

async function run(url: string, keys: string[], s: Scenario, seconds: number): Promise<Result> {
  let next = 0;
  return autocannon({
    url: `${url}/v1/events`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: s.body,
    idReplacement: true,
    connections: s.connections,
    duration: seconds,
    ...(s.overallRate ? { overallRate: s.overallRate } : {}),
    // Each connection posts as one tenant, spreading the load over partitions like real adapters.
    setupClient: (client) => {
      const key = keys[next++ % keys.length]!;
      client.setHeaders({ 'content-type': 'application/json', authorization: `Bearer ${key}` });
    },
  });
}

function report(s: Scenario, r: Result) {
  const reqPerS = r['2xx'] / r.duration;
  const line = {
    req_per_s: Math.round(reqPerS),
    events_per_s: Math.round(reqPerS * s.events),
    p50_ms: r.latency.p50,
    p99_ms: r.latency.p99,
    max_ms: r.latency.max,
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
  };
  console.log(
    `${s.name.padEnd(26)} ${Object.entries(line)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ')}`,
  );
  if (r.non2xx > 0 || r.errors > 0) console.log(`  status codes: ${JSON.stringify(r.statusCodeStats)}`);
  return line;
}

async function main(): Promise<void> {
  const keys = Array.from({ length: config.BENCH_TENANTS }, (_, i) =>
    generateKey({
      name: `bench-${i}`,
      tenantId: `bench-tenant-${i}`,
      channels: ['*'],
      rateLimit: { max: 1_000_000_000, windowMs: 1000 },
    }),
  );
  const port = await freePort();
  const service = await startService(port, stringify(keys.map((k) => k.entry)));
  const url = `http://127.0.0.1:${port}`;
  const plain = keys.map((k) => k.key);
  try {
    const scenarios: Scenario[] = [
      { name: 'single event, max', body: singleBody, events: 1, connections: 128 },
      { name: '100-event batch, max', body: batchBody, events: 100, connections: 32 },
      { name: 'single event, 5k req/s', body: singleBody, events: 1, connections: 64, overallRate: 5000 },
    ];
    const lines = [];
    for (const s of scenarios) {
      if (config.BENCH_WARMUP_S > 0) await run(url, plain, s, config.BENCH_WARMUP_S);
      lines.push(report(s, await run(url, plain, s, config.BENCH_DURATION_S)));
    }
    const [single, batch, paced] = lines;
    // The machine is shared: the load average says how much of it the benchmark had.
    console.log(`cpus=${os.cpus().length} loadavg_1m=${os.loadavg()[0]!.toFixed(1)}`);
    console.log(
      `req_per_s=${single!.req_per_s} events_per_s=${batch!.events_per_s} p50_ms=${paced!.p50_ms} p99_ms=${paced!.p99_ms}`,
    );
  } finally {
    service.kill('SIGTERM');
    await once(service, 'exit');
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
