import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import type { ConsumedEnvelope, EnvelopeProducer, SwitchboardKafka } from '../src';
import {
  brokers,
  conversationStarted,
  freshTopic,
  kafkaClient,
  readRaw,
  startCollector,
  waitUntil,
} from './helpers';

const packageDir = path.join(__dirname, '..');
const fixture = path.join(__dirname, 'fixtures/transform-loop.ts');

/** Starts the transform loop in a child process; resolves once it has joined the group. */
function startChild(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--conditions=@switchboard/source', '--import', 'tsx', fixture], {
    cwd: packageDir,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`transform child exited early with ${code}`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('started')) {
        child.removeAllListeners('exit');
        resolve(child);
      }
    });
  });
}

function killed(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

/** Fresh input/output/dead-letter topics and the env of a transform child working on them. */
async function scenario(kafka: SwitchboardKafka, name: string, partitions: number) {
  const input = freshTopic(`${name}-in`);
  const output = freshTopic(`${name}-out`);
  const dlq = freshTopic(`${name}-dlq`);
  const admin = kafka.admin();
  await admin.ensureTopics([
    { topic: input, partitions },
    { topic: output, partitions },
    { topic: dlq, partitions: 1 },
  ]);
  const env = {
    KAFKA_BROKERS: brokers().join(','),
    INPUT_TOPIC: input,
    OUTPUT_TOPIC: output,
    DLQ_TOPIC: dlq,
    GROUP_ID: `transform-${input}`,
    TXN_PREFIX: `transform-${input}`,
    PER_MESSAGE_MS: '1',
  };
  const cleanup = async () => {
    await admin.deleteTopics([input, output, dlq]);
    await admin.disconnect();
  };
  return { input, output, dlq, env, cleanup };
}

async function sendInputs(
  producer: EnvelopeProducer,
  topic: string,
  from: number,
  to: number,
): Promise<void> {
  for (let i = from; i < to; i += 100) {
    const chunk = [];
    for (let j = i; j < Math.min(to, i + 100); j++)
      chunk.push(conversationStarted(`in-${j}`, `tenant-${j % 11}`));
    await producer.send(topic, chunk);
  }
}

/** Every input i appears exactly once as out-in-i, caused by its input. */
function expectExactlyOnce(outputs: ConsumedEnvelope[], inputs: number): void {
  const counts = new Map<string, number>();
  for (const o of outputs) counts.set(o.envelope.eventId, (counts.get(o.envelope.eventId) ?? 0) + 1);
  expect([...counts].filter(([, n]) => n > 1)).toEqual([]);
  expect(counts.size).toBe(inputs);
  for (let i = 0; i < inputs; i++) expect(counts.get(`out-in-${i}`)).toBe(1);
  for (const o of outputs) expect(o.envelope.causationId).toBe(o.envelope.eventId.slice('out-'.length));
}

const distinct = (outputs: ConsumedEnvelope[]) => new Set(outputs.map((o) => o.envelope.eventId)).size;

describe('transactional consume-transform-produce loop', () => {
  const kafka = kafkaClient();
  const children: ChildProcess[] = [];
  const spawnChild = async (env: Record<string, string>) => {
    const child = await startChild(env);
    children.push(child);
    return child;
  };

  afterEach(async () => {
    await Promise.all(children.splice(0).map((c) => killed(c, 'SIGKILL')));
  });

  it('commits each input exactly once across a SIGKILL mid-stream and a restart, dead letters included', async () => {
    const INPUTS = 2000;
    const JUNK = 5;
    const s = await scenario(kafka, 'txn-kill', 3);
    const outputs: ConsumedEnvelope[] = [];
    const collector = await startCollector(kafka, s.output, outputs);
    const producer = kafka.producer();
    try {
      await sendInputs(producer, s.input, 0, INPUTS / 2);
      const first = await spawnChild(s.env);
      await waitUntil('some outputs before the kill', () => outputs.length >= 300, 60_000);
      await killed(first, 'SIGKILL');
      const atKill = distinct(outputs);

      await sendInputs(producer, s.input, INPUTS / 2, INPUTS);
      await producer.sendRaw(
        s.input,
        Array.from({ length: JUNK }, (_, i) => ({ key: `tenant-${i}`, value: Buffer.from(`junk-${i}`) })),
      );
      const second = await spawnChild(s.env);
      await waitUntil(`${INPUTS} distinct outputs`, () => distinct(outputs) >= INPUTS, 120_000);
      // Dead letters went out inside the loop's transactions; the settle time lets late duplicates arrive.
      const dead = await readRaw(s.dlq, JUNK, 3000);
      await killed(second, 'SIGTERM');

      expect(atKill).toBeLessThan(INPUTS);
      expectExactlyOnce(outputs, INPUTS);
      expect(dead.map((d) => d.value.toString()).sort()).toEqual(
        Array.from({ length: JUNK }, (_, i) => `junk-${i}`),
      );
      for (const d of dead) expect(d.headers['dlq.error-code']).toBe('ENVELOPE_UNDECODABLE');
    } finally {
      await collector.stop();
      await producer.disconnect();
      await s.cleanup();
    }
  });

  it('stays exactly once when a second owner joins (rebalance) and the first then dies', async () => {
    const INPUTS = 3000;
    const s = await scenario(kafka, 'txn-rebalance', 6);
    const outputs: ConsumedEnvelope[] = [];
    const collector = await startCollector(kafka, s.output, outputs);
    const producer = kafka.producer();
    try {
      await sendInputs(producer, s.input, 0, INPUTS / 3);
      const a = await spawnChild(s.env);
      await waitUntil('outputs from the first owner', () => outputs.length >= 200, 60_000);
      await spawnChild(s.env); // joins: the partitions are split between both owners
      await sendInputs(producer, s.input, INPUTS / 3, (2 * INPUTS) / 3);
      await waitUntil('outputs while both own partitions', () => distinct(outputs) >= INPUTS / 2, 60_000);
      await killed(a, 'SIGKILL'); // the survivor takes a's partitions after its session times out
      await sendInputs(producer, s.input, (2 * INPUTS) / 3, INPUTS);
      await waitUntil(`${INPUTS} distinct outputs`, () => distinct(outputs) >= INPUTS, 120_000);
      await new Promise((r) => setTimeout(r, 3000));
      expectExactlyOnce(outputs, INPUTS);
    } finally {
      await collector.stop();
      await producer.disconnect();
      await s.cleanup();
    }
  });
});
