import type { ChildProcess } from 'node:child_process';
import type {
  ConsumedEnvelope,
  EnvelopeConsumer,
  EnvelopeProducer,
  SwitchboardKafka,
} from '@switchboard/kafka';
import { conversation, setupInputs } from './fixtures';
import {
  collect,
  freshTopics,
  instanceEnv,
  kafkaClient,
  rebuiltStates,
  send,
  startChild,
  stopChild,
  tokensFor,
  waitUntil,
} from './helpers';

const PARTITIONS = 4;
const TENANTS = ['t0', 't1', 't2', 't3', 't4', 't5'];
const TOTAL = 3000;

/** Per key, how many changelog records have it. */
function counts(
  records: ConsumedEnvelope[],
  key: (c: ConsumedEnvelope) => string | undefined,
): Map<string, number> {
  const m = new Map<string, number>();
  for (const r of records) {
    const k = key(r);
    if (k !== undefined) m.set(k, (m.get(k) ?? 0) + 1);
  }
  return m;
}

describe('exactly once across a crash', () => {
  let kafka: SwitchboardKafka;
  let env: Awaited<ReturnType<typeof freshTopics>>;
  let producer: EnvelopeProducer;
  let collector: EnvelopeConsumer;
  let child: ChildProcess | undefined;
  const changelog: ConsumedEnvelope[] = [];

  beforeAll(async () => {
    kafka = kafkaClient();
    env = await freshTopics(kafka, PARTITIONS);
    producer = kafka.producer();
    await producer.connect();
    collector = await collect(kafka, env.topics.routing, changelog);
  });

  afterAll(async () => {
    if (child) await stopChild(child, 'SIGKILL');
    await collector?.stop();
    await producer?.disconnect();
    await env?.cleanup();
  });

  it('given SIGKILL mid-stream, when restarted, then every conversation is offered once and the state equals a fresh replay', async () => {
    const { entries } = tokensFor([]);
    const instance = instanceEnv(env.suffix, PARTITIONS, entries, { ROUTING_SNAPSHOT_EVERY_EVENTS: '400' });
    const setup = setupInputs(TENANTS, 2, TOTAL);
    await send(producer, env.topics.config, setup.config);
    await send(producer, env.topics.agentCommands, setup.commands);

    child = await startChild(instance);
    const offered = () => changelog.filter((c) => c.envelope.payload.case === 'conversationOffered').length;
    let sent = 0;
    // Feed in small chunks so the kill lands in the middle of the stream.
    while (offered() < TOTAL / 3) {
      if (sent < TOTAL) {
        await send(
          producer,
          env.topics.conversations,
          Array.from({ length: 50 }, (_, k) => conversation(TENANTS, sent + k)),
        );
        sent += 50;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    await stopChild(child, 'SIGKILL');
    const atKill = offered();
    expect(atKill).toBeLessThan(TOTAL);
    // The rest arrives while no owner is alive.
    const rest = Array.from({ length: TOTAL - sent }, (_, k) => conversation(TENANTS, sent + k));
    await send(producer, env.topics.conversations, rest);

    child = await startChild(instance);
    await waitUntil(`all ${TOTAL} conversations offered`, () => offered() >= TOTAL, 120_000);
    // Let anything in flight land before checking for duplicates.
    await new Promise((r) => setTimeout(r, 1500));

    const queued = counts(changelog, (c) =>
      c.envelope.payload.case === 'conversationQueued' ? c.envelope.aggregateId : undefined,
    );
    const offers = counts(changelog, (c) =>
      c.envelope.payload.case === 'conversationOffered' ? c.envelope.aggregateId : undefined,
    );
    expect(queued.size).toBe(TOTAL);
    expect(offers.size).toBe(TOTAL);
    expect([...queued.values()].every((n) => n === 1)).toBe(true);
    expect([...offers.values()].every((n) => n === 1)).toBe(true);
    const ids = counts(changelog, (c) => `${c.envelope.tenantId}/${c.envelope.eventId}`);
    expect([...ids.values()].filter((n) => n > 1)).toEqual([]);

    // A clean stop writes final snapshots; snapshot + replay must equal a replay of the whole changelog.
    await stopChild(child, 'SIGTERM');
    child = undefined;
    const all = [0, 1, 2, 3];
    const fromSnapshots = await rebuiltStates(kafka, env.topics, all, true);
    const fresh = await rebuiltStates(kafka, env.topics, all, false);
    expect(fresh.size).toBe(TENANTS.length);
    expect(fromSnapshots).toEqual(fresh);
    const snapshots: ConsumedEnvelope[] = [];
    const snapshotReader = await collect(kafka, env.topics.snapshots, snapshots);
    await waitUntil(
      'snapshots of every partition',
      () => new Set(snapshots.map((s) => s.key)).size === PARTITIONS,
      30_000,
    );
    await snapshotReader.stop();
  });
});
