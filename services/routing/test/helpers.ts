import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import type { Envelope } from '@switchboard/contracts';
import {
  type ConsumedEnvelope,
  createKafka,
  type EnvelopeProducer,
  type SwitchboardKafka,
} from '@switchboard/kafka';
import { createLogger, type Logger } from '@switchboard/observability';
import { requireEnv, uniqueSuffix } from '@switchboard/testkit';
import { type AgentTokenEntry, generateToken } from '../src/adapters/grpc/agent-tokens';
import { KafkaChangelogReader } from '../src/adapters/kafka/kafka-changelog';
import { KafkaSnapshotStore } from '../src/adapters/kafka/kafka-snapshot-store';
import { ownerInputTopics } from '../src/adapters/kafka/owner-loop';
import { routingTopicSpecs } from '../src/adapters/kafka/topics';
import { buildRoutingApp, type RoutingApp } from '../src/app';
import { loadRoutingConfig, type RoutingTopics, routingTopics } from '../src/config';
import { toSnapshot } from '../src/domain/snapshot';
import { RoutingOwner } from '../src/service/routing-owner';
import { MemoryDeadLetters, MemorySnapshots, MemoryTicks } from '../src/service/testing';

export const logger: Logger = createLogger({
  service: 'routing-test',
  level: process.env.LOG_LEVEL ?? 'warn',
});

export function brokers(): string {
  return requireEnv('KAFKA_BROKERS');
}

export function kafkaClient(clientId = 'routing-test'): SwitchboardKafka {
  return createKafka({ brokers: brokers().split(','), clientId }, logger);
}

/** Private topics for one test (tests share the broker), created with `partitions`. */
export async function freshTopics(kafka: SwitchboardKafka, partitions: number) {
  const suffix = `.test-${uniqueSuffix()}`;
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

export function tokensFor(entries: Omit<AgentTokenEntry, 'id' | 'sha256'>[]): {
  tokens: string[];
  entries: AgentTokenEntry[];
} {
  const made = entries.map((e) => generateToken(e));
  return { tokens: made.map((m) => m.token), entries: made.map((m) => m.entry) };
}

/** The environment of a routing instance working on private topics. */
export function instanceEnv(
  suffix: string,
  partitions: number,
  tokens: AgentTokenEntry[],
  extra: Record<string, string> = {},
) {
  return {
    KAFKA_BROKERS: brokers(),
    KAFKA_CLIENT_ID: 'routing-test',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    ROUTING_TOPIC_SUFFIX: suffix,
    ROUTING_PARTITIONS: String(partitions),
    ROUTING_GROUP_ID: `routing${suffix}`,
    ROUTING_TOKENS: JSON.stringify(tokens),
    ROUTING_TICK_INTERVAL: '100',
    ROUTING_RECOVERY_IDLE: '500',
    ROUTING_SESSION_TIMEOUT: '6000',
    GRPC_HOST: '127.0.0.1',
    GRPC_PORT: '0',
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: '0',
    ...extra,
  };
}

/** A routing app in this process. */
export function inProcess(env: Record<string, string>, kafka: SwitchboardKafka): RoutingApp {
  const config = loadRoutingConfig(env);
  return buildRoutingApp({ config, logger, kafka, tokens: JSON.parse(env.ROUTING_TOKENS ?? '[]') });
}

const serviceDir = path.join(__dirname, '..');

/** The real composition root (src/main.ts) in a child process; resolves once it is ready. */
export function startChild(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ['--conditions=@switchboard/source', '--import', 'tsx', 'src/main.ts'],
    {
      cwd: serviceDir,
      env: { ...process.env, ...env, LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`routing child exited early with ${code}`)));
    let buffered = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      if (buffered.includes('routing partitions recovered') && buffered.includes('routing started')) {
        child.removeAllListeners('exit');
        buffered = '';
        resolve(child);
      }
      if (buffered.length > 100_000) buffered = buffered.slice(-10_000);
    });
  });
}

export function stopChild(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

/** Reads a topic (read_committed) from the beginning into `into`. */
export async function collect(kafka: SwitchboardKafka, topic: string, into: ConsumedEnvelope[]) {
  const consumer = kafka.consumer({
    groupId: `collector-${uniqueSuffix()}`,
    topics: [topic],
    fromBeginning: true,
  });
  await consumer.run(async (batch) => {
    into.push(...batch);
  });
  return consumer;
}

export async function waitUntil(what: string, check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function send(producer: EnvelopeProducer, topic: string, envelopes: Envelope[]): Promise<void> {
  for (let i = 0; i < envelopes.length; i += 200) await producer.send(topic, envelopes.slice(i, i + 200));
}

/**
 * The state of every tenant of the given partitions, rebuilt by a fresh owner from Kafka: with the
 * latest snapshots, or from the whole changelog (a fresh replay). Keyed by tenant, as snapshot bytes.
 */
export async function rebuiltStates(
  kafka: SwitchboardKafka,
  topics: RoutingTopics,
  partitions: number[],
  withSnapshots: boolean,
  partitionCount = partitions.length,
): Promise<Map<string, string>> {
  const producer = kafka.producer();
  await producer.connect();
  const owner = new RoutingOwner({
    inputTopics: ownerInputTopics(topics),
    changelogTopic: topics.routing,
    changelog: new KafkaChangelogReader(kafka, producer, {
      topic: topics.routing,
      partitions: partitionCount,
      deadLetterTopic: topics.deadLetter,
    }),
    snapshots: withSnapshots
      ? new KafkaSnapshotStore(kafka, producer, topics.snapshots, topics.deadLetter, 500)
      : new MemorySnapshots(),
    ticks: new MemoryTicks(),
    deadLetters: new MemoryDeadLetters(),
    clock: Date.now,
    logger,
    snapshotEveryEvents: 1e9,
    snapshotIntervalMs: 1e9,
  });
  await owner.onAssigned(
    partitions.flatMap((partition) => ownerInputTopics(topics).map((topic) => ({ topic, partition }))),
  );
  const out = new Map<string, string>();
  for (const p of partitions) {
    for (const tenantId of owner.tenantsOf(p)) {
      const state = owner.tenantState(tenantId);
      if (state) out.set(tenantId, Buffer.from(toSnapshot(state)).toString('base64'));
    }
  }
  await producer.disconnect();
  return out;
}
