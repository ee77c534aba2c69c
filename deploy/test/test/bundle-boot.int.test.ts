import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SwitchboardKafka } from '@switchboard/kafka';
import { freePort, requireEnv, uniqueSuffix } from '@switchboard/testkit';
import {
  bundle,
  gracePeriodSeconds,
  kafkaClient,
  provisionTopics,
  type Started,
  startBundle,
  waitForStatus,
} from './support';

/** Every service, as its image runs it. */
const SERVICES = ['ingestion', 'routing', 'sla-timer', 'analytics'] as const;
type Service = (typeof SERVICES)[number];

const outRoot = mkdtempSync(join(tmpdir(), 'sb-bundles-'));
const suffix = uniqueSuffix();

/** What each service needs to start against the test broker and database, on free ports. */
async function serviceEnv(service: Service, dir: string): Promise<Record<string, string>> {
  const common = {
    KAFKA_BROKERS: requireEnv('KAFKA_BROKERS'),
    KAFKA_CLIENT_ID: `deploy-test-${service}`,
    LOG_LEVEL: 'info',
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: String(await freePort()),
  };
  switch (service) {
    case 'ingestion':
      writeFileSync(join(dir, 'api-keys.yaml'), '[]\n');
      return { ...common, INGESTION_API_KEYS_FILE: join(dir, 'api-keys.yaml') };
    case 'routing':
      return {
        ...common,
        GRPC_HOST: '127.0.0.1',
        GRPC_PORT: String(await freePort()),
        ROUTING_TOKENS: '[]',
        ROUTING_GROUP_ID: `routing-boot-${suffix}`,
      };
    case 'sla-timer':
      return { ...common, SLA_GROUP_ID: `sla-timer-boot-${suffix}` };
    case 'analytics':
      return {
        ...common,
        DATABASE_URL: requireEnv('DATABASE_URL'),
        GRPC_HOST: '127.0.0.1',
        GRPC_PORT: String(await freePort()),
        ANALYTICS_GROUP_ID: `analytics-boot-${suffix}`,
        ANALYTICS_ROLE_PREFIX: `boot_${suffix.replace(/\W/g, '_')}_`,
      };
  }
}

describe('service deploy bundles (the image build steps without a Docker engine)', () => {
  let kafka: SwitchboardKafka;
  let running: Started | undefined;

  beforeAll(async () => {
    kafka = kafkaClient();
    // What the topics Job provisions, so the services find the topics they consume.
    await provisionTopics(kafka, 12);
    const log = await bundle(outRoot, SERVICES);
    expect(log).toContain('bundled analytics');
  });

  afterEach(() => {
    if (running?.child.exitCode === null) running.child.kill('SIGKILL');
    running = undefined;
  });

  afterAll(() => {
    rmSync(outRoot, { recursive: true, force: true });
  });

  it.each(SERVICES)(
    '%s boots from its bundle, answers /healthz, /readyz and /metrics, and exits 0 on SIGTERM within its grace period',
    async (service) => {
      const dir = join(outRoot, service);
      const env = await serviceEnv(service, dir);
      const base = `http://127.0.0.1:${env.HTTP_PORT}`;
      const started = startBundle(dir, env);
      running = started;

      await waitForStatus(`${base}/healthz`, 200, 120_000, started);
      await waitForStatus(`${base}/readyz`, 200, 120_000, started);
      const metrics = await fetch(`${base}/metrics`);
      expect(metrics.status).toBe(200);
      expect(metrics.headers.get('content-type')).toContain('text/plain');

      const graceMs = gracePeriodSeconds(service) * 1000;
      const stopAsked = Date.now();
      started.child.kill('SIGTERM');
      const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), graceMs).unref());
      const outcome = await Promise.race([started.exited, timeout]);
      expect({
        outcome,
        output: outcome === 'timeout' || outcome.code !== 0 ? started.output().slice(-3000) : '',
      }).toEqual({
        outcome: { code: 0, signal: null },
        output: '',
      });
      expect(Date.now() - stopAsked).toBeLessThan(graceMs);
    },
  );
});
