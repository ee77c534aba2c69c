import type {
  ConsumedEnvelope,
  EnvelopeConsumer,
  EnvelopeProducer,
  SwitchboardKafka,
} from '@switchboard/kafka';
import type { RoutingApp } from '../src/app';
import { toSnapshot } from '../src/domain/snapshot';
import { conversation, setupInputs } from './fixtures';
import {
  collect,
  freshTopics,
  inProcess,
  instanceEnv,
  kafkaClient,
  rebuiltStates,
  send,
  tokensFor,
  waitUntil,
} from './helpers';

const PARTITIONS = 4;
const TENANTS = ['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7'];
const TOTAL = 1600;

describe('rebalance between two owners', () => {
  let kafka: SwitchboardKafka;
  let env: Awaited<ReturnType<typeof freshTopics>>;
  let producer: EnvelopeProducer;
  let collector: EnvelopeConsumer;
  const apps: RoutingApp[] = [];
  const changelog: ConsumedEnvelope[] = [];

  beforeAll(async () => {
    kafka = kafkaClient();
    env = await freshTopics(kafka, PARTITIONS);
    producer = kafka.producer();
    await producer.connect();
    collector = await collect(kafka, env.topics.routing, changelog);
  });

  afterAll(async () => {
    for (const app of apps) await app.stop().catch(() => undefined);
    await collector?.stop();
    await producer?.disconnect();
    await env?.cleanup();
  });

  it('given two instances sharing partitions, when one stops, then the other takes over with the right state', async () => {
    const { entries } = tokensFor([]);
    const instance = instanceEnv(env.suffix, PARTITIONS, entries, { ROUTING_SNAPSHOT_EVERY_EVENTS: '300' });
    const setup = setupInputs(TENANTS, 2, TOTAL);
    await send(producer, env.topics.config, setup.config);
    await send(producer, env.topics.agentCommands, setup.commands);

    const a = inProcess(instance, kafkaClient('routing-a'));
    apps.push(a);
    await a.start();
    const b = inProcess(instance, kafkaClient('routing-b'));
    apps.push(b);
    await b.start();
    await waitUntil(
      'both instances own partitions',
      () => a.owner.ownedPartitions().length === 2 && b.owner.ownedPartitions().length === 2,
      60_000,
    );
    expect([...a.owner.ownedPartitions(), ...b.owner.ownedPartitions()].sort()).toEqual([0, 1, 2, 3]);

    const offered = () =>
      new Set(
        changelog
          .filter((c) => c.envelope.payload.case === 'conversationOffered')
          .map((c) => c.envelope.aggregateId),
      );
    let sent = 0;
    const feed = async (upTo: number) => {
      while (sent < upTo) {
        await send(
          producer,
          env.topics.conversations,
          Array.from({ length: 50 }, (_, k) => conversation(TENANTS, sent + k)),
        );
        sent += 50;
      }
    };
    await feed(TOTAL / 2);
    await waitUntil('first half offered', () => offered().size >= TOTAL / 4, 60_000);
    await a.stop(); // graceful: finishes its transaction, snapshots, leaves the group
    apps.shift();
    await feed(TOTAL);
    await waitUntil('b owns everything', () => b.owner.ownedPartitions().length === PARTITIONS, 60_000);
    await waitUntil(`all ${TOTAL} offered`, () => offered().size >= TOTAL, 120_000);
    await new Promise((r) => setTimeout(r, 1500));

    // No conversation is offered twice, hence never held by two agents.
    const offers = changelog.filter((c) => c.envelope.payload.case === 'conversationOffered');
    expect(offers).toHaveLength(TOTAL);
    // Every agent holds exactly what the changelog gave it.
    const fresh = await rebuiltStates(kafka, env.topics, [0, 1, 2, 3], false);
    expect(fresh.size).toBe(TENANTS.length);
    for (const tenant of TENANTS) {
      const live = b.owner.tenantState(tenant);
      expect(live).toBeDefined();
      if (live) expect(Buffer.from(toSnapshot(live)).toString('base64')).toBe(fresh.get(tenant));
    }
  });
});
