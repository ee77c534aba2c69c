import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { createKafka, type SwitchboardKafka } from '@switchboard/kafka';
import { createLogger, type Logger } from '@switchboard/observability';
import { freePort, uniqueSuffix } from '@switchboard/testkit';
import { routingTopicSpecs } from '../src/adapters/kafka/topics';
import { type RoutingTopics, routingTopics } from '../src/config';

export const logger: Logger = createLogger({ service: 'routing-bench', level: 'warn' });

export function brokers(): string {
  const b = process.env.KAFKA_BROKERS;
  if (!b)
    throw new Error('KAFKA_BROKERS is not set: run `pnpm bench:routing` from the root (it starts Kafka)');
  return b;
}

export function kafkaClient(clientId: string): SwitchboardKafka {
  return createKafka({ brokers: brokers().split(','), clientId }, logger);
}

export async function freshTopics(
  kafka: SwitchboardKafka,
  partitions: number,
): Promise<{ suffix: string; topics: RoutingTopics; cleanup(): Promise<void> }> {
  const suffix = `.bench-${uniqueSuffix()}`;
  const topics = routingTopics(suffix);
  const admin = kafka.admin();
  await admin.ensureTopics(routingTopicSpecs(topics, partitions));
  return {
    suffix,
    topics,
    cleanup: async () => {
      await admin.deleteTopics(Object.values(topics)).catch(() => undefined);
      await admin.disconnect();
    },
  };
}

export interface ServiceProcess {
  child: ChildProcess;
  httpPort: number;
  /** JSON log lines of the child. */
  logs: Record<string, unknown>[];
}

/** The real service (src/main.ts) in its own process, so load generation and routing use separate cores. */
export async function startService(
  suffix: string,
  partitions: number,
  extra: Record<string, string> = {},
): Promise<ServiceProcess> {
  const httpPort = await freePort();
  const child = spawn(
    process.execPath,
    ['--conditions=@switchboard/source', '--import', 'tsx', 'src/main.ts'],
    {
      cwd: path.join(__dirname, '..'),
      env: {
        ...process.env,
        KAFKA_BROKERS: brokers(),
        LOG_LEVEL: 'info',
        ROUTING_TOPIC_SUFFIX: suffix,
        ROUTING_PARTITIONS: String(partitions),
        ROUTING_GROUP_ID: `routing${suffix}`,
        ROUTING_TOKENS: '[]',
        ROUTING_RECOVERY_IDLE: '500',
        GRPC_HOST: '127.0.0.1',
        GRPC_PORT: '0',
        HTTP_HOST: '127.0.0.1',
        HTTP_PORT: String(httpPort),
        ...extra,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const logs: Record<string, unknown>[] = [];
  let rest = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    const lines = (rest + chunk.toString()).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) {
      try {
        const entry = JSON.parse(line) as Record<string, unknown>;
        if (entry.level === 'info' || entry.level === 'error') logs.push(entry);
        if (process.env.BENCH_VERBOSE) process.stderr.write(`${line}\n`);
      } catch {
        // not a log line
      }
    }
  });
  return { child, httpPort, logs };
}

/** Polls /readyz until it answers 200; returns when. */
export async function waitReady(s: ServiceProcess, timeoutMs = 300_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (s.child.exitCode !== null) throw new Error(`routing exited with ${s.child.exitCode}`);
    try {
      const res = await fetch(`http://127.0.0.1:${s.httpPort}/readyz`);
      if (res.status === 200) return Date.now();
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error('routing did not become ready');
    await new Promise((r) => setTimeout(r, 20));
  }
}

export function stopService(s: ServiceProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  return new Promise((resolve) => {
    if (s.child.exitCode !== null || s.child.signalCode !== null) return resolve();
    s.child.once('exit', () => resolve());
    s.child.kill(signal);
  });
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

export const round = (n: number, digits = 1) => Number(n.toFixed(digits));
