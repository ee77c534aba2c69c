/**
 * `pnpm start`: the whole of Switchboard on one machine. Uses KAFKA_BROKERS / DATABASE_URL when set,
 * otherwise starts a local Kafka broker (Maven jars) and a PostgreSQL database (see libs/testkit); then
 * runs the four services as separate processes from their sources, applies the demo tenant
 * configuration and prints where everything is. Ctrl-C stops everything it started.
 *
 * The demo credentials below are for this local mode only: anyone who reads this file knows them.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { applyCommand, openKafkaConfigStore } from '@switchboard/cli';
import { DEFAULT_PARTITIONS } from '@switchboard/contracts';
import { createKafka } from '@switchboard/kafka';
import { createLogger } from '@switchboard/observability';
import { routingTopicSpecs } from '@switchboard/routing/adapters/kafka/topics';
import { routingTopics } from '@switchboard/routing/config';
import { slaTopicSpecs } from '@switchboard/sla-timer/adapters/kafka/topics';
import { slaTopics } from '@switchboard/sla-timer/config';
import { freePort, provideInfra, waitFor } from '@switchboard/testkit';

const ROOT = path.resolve(__dirname, '..');
const DEMO_TENANT = 'acme';
const DEMO_API_KEY = 'sb_demo0001_demo-adapter-key-not-for-production';
const DEMO_AGENT_TOKEN = 'sbt_demo0001_demo-agent-token-not-for-production';
const DEMO_KPI_TOKEN = 'demo-kpi-token-not-for-production';
const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

interface Service {
  name: 'ingestion' | 'routing' | 'sla-timer' | 'analytics';
  httpPort: number;
  grpcPort?: number;
  env: Record<string, string>;
}

async function main(): Promise<void> {
  const log = (line: string) => console.error(`[start] ${line}`);
  const infra = await provideInfra({ log });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-'));
  const keysFile = path.join(dir, 'api-keys.json');
  fs.writeFileSync(
    keysFile,
    JSON.stringify([
      {
        id: 'demo0001',
        name: 'demo-adapter',
        tenantId: DEMO_TENANT,
        channels: ['*'],
        sha256: sha256(DEMO_API_KEY),
      },
    ]),
  );
  const tokensFile = path.join(dir, 'agent-tokens.json');
  fs.writeFileSync(
    tokensFile,
    JSON.stringify([{ id: 'demo0001', tenantId: DEMO_TENANT, sha256: sha256(DEMO_AGENT_TOKEN) }]),
  );

  // Provision every topic once, as the Kubernetes topics job does, so services starting side by side never
  // subscribe to a topic another one is still creating.
  const admin = createKafka(
    { brokers: infra.kafkaBrokers.split(','), clientId: 'switchboard-local' },
    createLogger({ service: 'start', level: 'warn' }),
  ).admin();
  const specs = [
    ...routingTopicSpecs(routingTopics(), DEFAULT_PARTITIONS),
    ...slaTopicSpecs(slaTopics(), DEFAULT_PARTITIONS),
  ];
  await admin.ensureTopics([...new Map(specs.map((spec) => [spec.topic, spec])).values()]);
  await admin.disconnect();

  const kafka = { KAFKA_BROKERS: infra.kafkaBrokers, KAFKA_CLIENT_ID: 'switchboard-local' };
  const services: Service[] = [
    { name: 'ingestion', httpPort: await freePort(), env: { INGESTION_API_KEYS_FILE: keysFile } },
    {
      name: 'routing',
      httpPort: await freePort(),
      grpcPort: await freePort(),
      env: { ROUTING_TOKENS_FILE: tokensFile },
    },
    { name: 'sla-timer', httpPort: await freePort(), env: {} },
    {
      name: 'analytics',
      httpPort: await freePort(),
      grpcPort: await freePort(),
      env: { DATABASE_URL: infra.databaseUrl, ANALYTICS_TOKENS: `${DEMO_TENANT}:${sha256(DEMO_KPI_TOKEN)}` },
    },
  ];

  const children: ChildProcess[] = [];
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    log('stopping');
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
          }),
      ),
    );
    await infra.stop();
    fs.rmSync(dir, { recursive: true, force: true });
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  for (const service of services) {
    const env = {
      LOG_LEVEL: 'warn',
      ...process.env,
      ...kafka,
      ...service.env,
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: String(service.httpPort),
      ...(service.grpcPort ? { GRPC_HOST: '127.0.0.1', GRPC_PORT: String(service.grpcPort) } : {}),
    };
    const child = spawn(
      process.execPath,
      [
        '--conditions=@switchboard/source',
        '--import',
        'tsx',
        path.join(ROOT, 'services', service.name, 'src/main.ts'),
      ],
      { env, stdio: ['ignore', 'inherit', 'inherit'] },
    );
    child.once('exit', (code, signal) => {
      if (!stopping) {
        log(`${service.name} exited (${code ?? signal}); stopping the rest`);
        void stop(1);
      }
    });
    children.push(child);
  }
  for (const service of services) {
    await waitFor(
      `${service.name} to be ready`,
      async () => {
        const res = await fetch(`http://127.0.0.1:${service.httpPort}/readyz`).catch(() => undefined);
        return res?.status === 200;
      },
      180_000,
    );
    log(`${service.name} ready`);
  }

  const store = await openKafkaConfigStore({
    brokers: infra.kafkaBrokers.split(','),
    clientId: 'switchboard-local',
  });
  try {
    const applied = await applyCommand(
      fs.readFileSync(path.join(ROOT, 'docs/examples/tenant-acme.yaml'), 'utf8'),
      store,
      'pnpm-start',
    );
    log(applied.output.trim());
  } finally {
    await store.close();
  }

  const [ingestion, routing, slaTimer, analytics] = services as [Service, Service, Service, Service];
  const analyst = new URL(infra.databaseUrl);
  console.log(`
Switchboard is running (demo credentials, local use only).

  Ingestion   http://127.0.0.1:${ingestion.httpPort}   (OpenAPI at /docs)
    curl -s -X POST http://127.0.0.1:${ingestion.httpPort}/v1/events \\
      -H 'Authorization: Bearer ${DEMO_API_KEY}' -H 'Content-Type: application/json' \\
      -d '{"id":"evt-1","type":"conversation.started","conversationId":"c-1","occurredAt":"${new Date().toISOString()}","channel":"chat","customer":{"id":"cust-1","tier":"gold"},"attributes":{"language":"en"}}'
  Agent gRPC  127.0.0.1:${routing.grpcPort}   (switchboard.routing.v1.AgentService / QueueService; reflection on)
    metadata: authorization: Bearer ${DEMO_AGENT_TOKEN}
  KPI gRPC    127.0.0.1:${analytics.grpcPort}   (switchboard.analytics.v1.KpiService)
    metadata: authorization: Bearer ${DEMO_KPI_TOKEN}
  Analysts    psql '${analyst.toString()}' -c 'select * from analytics.conversations limit 10'
  Metrics     ${services.map((s) => `http://127.0.0.1:${s.httpPort}/metrics`).join('\n              ')}
  Kafka       ${infra.kafkaBrokers}
  SLA timer   http://127.0.0.1:${slaTimer.httpPort}/readyz

Ctrl-C stops everything.`);
}

main().catch((err) => {
  console.error(`[start] ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
