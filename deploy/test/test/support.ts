import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { createKafka, type SwitchboardKafka } from '@switchboard/kafka';
import { createLogger, type Logger } from '@switchboard/observability';
import { requireEnv } from '@switchboard/testkit';
import { parse } from 'yaml';
import { bundleScript, k8sDir, repoRoot, topicsSpec } from '../src/paths';

export const logger: Logger = createLogger({
  service: 'deploy-test',
  level: process.env.LOG_LEVEL ?? 'warn',
});

export function kafkaClient(): SwitchboardKafka {
  return createKafka({ brokers: requireEnv('KAFKA_BROKERS').split(','), clientId: 'deploy-test' }, logger);
}

/** Creates the topics of the provisioning job's list (deploy/k8s/base/jobs/topics.txt) when missing. */
export async function provisionTopics(kafka: SwitchboardKafka, tenantPartitions: number): Promise<void> {
  const specs = readFileSync(topicsSpec, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('#'))
    .map((l) => {
      const [topic = '', partitions = '', cleanup = '', retention = ''] = l.trim().split(/\s+/);
      return {
        topic,
        partitions: partitions === 'tenant' ? tenantPartitions : Number(partitions),
        compacted: cleanup === 'compact',
        ...(retention === '-' ? {} : { retentionMs: Number(retention) }),
      };
    });
  const admin = kafka.admin();
  try {
    await admin.ensureTopics(specs);
  } finally {
    await admin.disconnect();
  }
}

/** Runs deploy/docker/bundle.sh (what the Dockerfile runs) for the services into `outRoot`. */
export async function bundle(outRoot: string, services: readonly string[]): Promise<string> {
  const { stdout } = await promisify(execFile)('bash', [bundleScript, outRoot, ...services], {
    cwd: repoRoot,
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout;
}

/** terminationGracePeriodSeconds of a service's Deployment in the base manifests. */
export function gracePeriodSeconds(service: string): number {
  const doc = parse(readFileSync(`${k8sDir}/base/${service}/deployment.yaml`, 'utf8'));
  return doc.spec.template.spec.terminationGracePeriodSeconds;
}

export interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `node dist/main.js` in a bundle, as the image's entrypoint does (no tsx, no source condition). */
export function startBundle(dir: string, env: Record<string, string>): Started {
  const child = spawn(process.execPath, ['--enable-source-maps', 'dist/main.js'], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d) => {
    output += d;
  });
  child.stderr?.on('data', (d) => {
    output += d;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, output: () => output, exited };
}

/** Polls `url` until it answers `status`; fails with the service's output when it does not in time. */
export async function waitForStatus(
  url: string,
  status: number,
  timeoutMs: number,
  started: Started,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (started.child.exitCode !== null) break;
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.status === status) return;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(
    `${url} did not answer ${status} (last: ${last}); output:\n${started.output().slice(-4000)}`,
  );
}
