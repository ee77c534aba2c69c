import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { type Envelope, newEnvelope } from '@switchboard/contracts';
import {
  type ConsumedEnvelope,
  createKafka,
  type EnvelopeProducer,
  type SwitchboardKafka,
} from '@switchboard/kafka';
import { createLogger, type Logger } from '@switchboard/observability';
import { requireEnv, uniqueSuffix } from '@switchboard/testkit';
import { KafkaLogReader } from '../src/adapters/kafka/kafka-log';
import { slaTopicSpecs } from '../src/adapters/kafka/topics';
import { buildSlaApp, type SlaApp } from '../src/app';
import { loadSlaConfig, type SlaTopics, slaTopics } from '../src/config';
import type { SlaState } from '../src/domain';
import { SlaOwner } from '../src/service/sla-owner';

export const logger: Logger = createLogger({ service: 'sla-test', level: process.env.LOG_LEVEL ?? 'warn' });

export function kafkaClient(clientId = 'sla-test'): SwitchboardKafka {
  return createKafka({ brokers: requireEnv('KAFKA_BROKERS').split(','), clientId }, logger);
}

/** Private topics for one test (tests share the broker). */
export async function freshTopics(kafka: SwitchboardKafka, partitions: number) {
  const prefix = `test-${uniqueSuffix()}.`;
  const topics = slaTopics(prefix);
  const admin = kafka.admin();
  await admin.ensureTopics(slaTopicSpecs(topics, partitions));
  return {
    prefix,
    topics,
    cleanup: async () => {
      await admin.deleteTopics(Object.values(topics)).catch(() => undefined);
      await admin.disconnect();
    },
  };
}

/** The environment of an sla-timer instance working on private topics. */
export function instanceEnv(prefix: string, partitions: number, extra: Record<string, string> = {}) {
  return {
    KAFKA_BROKERS: requireEnv('KAFKA_BROKERS'),
    KAFKA_CLIENT_ID: 'sla-test',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    SLA_TOPIC_PREFIX: prefix,
    SLA_PARTITIONS: String(partitions),
    SLA_GROUP_ID: `sla-${prefix}`,
    SLA_TICK_MS: '100',
    SLA_SESSION_TIMEOUT: '6000',
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: '0',
    ...extra,
  };
}

export function inProcess(env: Record<string, string>, kafka: SwitchboardKafka): SlaApp {
  return buildSlaApp({ config: loadSlaConfig(env), logger, kafka });
}

const serviceDir = path.join(__dirname, '..');

/** The real composition root (src/main.ts) in a child process; resolves once it has started. */
export function startChild(env: Record<string, string>): Promise<{ child: ChildProcess; port: number }> {
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
    child.once('exit', (code) => reject(new Error(`sla-timer child exited early with ${code}`)));
    let buffered = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const started = /"httpPort":(\d+)[^\n]*sla-timer started/.exec(buffered);
      if (started) {
        child.removeAllListeners('exit');
        buffered = '';
        resolve({ child, port: Number(started[1]) });
      }
      if (buffered.length > 100_000) buffered = buffered.slice(-10_000);
    });
  });
}

export function stopChild(child: ChildProcess, signal: NodeJS.Signals): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
    child.once('exit', (code) => resolve(code));
    child.kill(signal);
  });
}

/** Reads a topic (read_committed) from the beginning into `into`, live. */
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

export async function waitUntil(what: string, check: () => boolean | Promise<boolean>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function ready(port: number): Promise<boolean> {
  try {
    return (await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200;
  } catch {
    return false;
  }
}

export async function send(producer: EnvelopeProducer, topic: string, envelopes: Envelope[]): Promise<void> {
  for (let i = 0; i < envelopes.length; i += 200) await producer.send(topic, envelopes.slice(i, i + 200));
}

let seq = 0;
/** An input envelope recorded at `atMs` (the time the sla-timer decides it at). */
export function input(
  tenantId: string,
  aggregateId: string,
  payload: Envelope['payload'],
  atMs: number,
): Envelope {
  return newEnvelope({
    eventId: `in-${uniqueSuffix()}-${++seq}`,
    tenantId,
    aggregateId,
    occurredAtMs: atMs,
    source: 'sla-test',
    payload,
  });
}

/** A partition's state rebuilt by a fresh owner from Kafka (with the latest snapshot, or from the whole logs). */
export async function rebuilt(
  kafka: SwitchboardKafka,
  topics: SlaTopics,
  groupId: string,
  partitions: number[],
  ignoreSnapshots: boolean,
): Promise<Map<number, SlaState | undefined>> {
  const owner = new SlaOwner({
    topics,
    log: new KafkaLogReader(kafka, groupId),
    ticks: { append: async () => {} },
    finalSnapshots: { save: async () => 0 },
    clock: Date.now,
    logger,
    snapshotEveryEvents: 1e9,
    snapshotIntervalMs: 1e9,
    ignoreSnapshots,
  });
  await owner.onAssigned(
    partitions.flatMap((partition) => owner.topics.map((topic) => ({ topic, partition }))),
  );
  return new Map(partitions.map((p) => [p, owner.stateOf(p)]));
}

export { normalized } from '../src/service/testing';
