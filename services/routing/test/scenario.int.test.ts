import { create } from '@bufbuild/protobuf';
import {
  Channel,
  ConversationStartedSchema,
  newEnvelope,
  Presence,
  type WatchOffersResponse,
} from '@switchboard/contracts';
import { AgentService } from '@switchboard/contracts/gen/switchboard/routing/v1/agent_service_pb';
import { QueueService } from '@switchboard/contracts/gen/switchboard/routing/v1/queue_service_pb';
import { AppError, createGrpcClient, Status } from '@switchboard/grpc';
import type {
  ConsumedEnvelope,
  EnvelopeConsumer,
  EnvelopeProducer,
  SwitchboardKafka,
} from '@switchboard/kafka';
import type { RoutingApp } from '../src/app';
import { config, req } from '../src/domain/testing/harness';
import { partitionOf } from '../src/service/partitioner';
import { configApplied, started } from '../src/service/testing';
import {
  collect,
  freshTopics,
  inProcess,
  instanceEnv,
  kafkaClient,
  send,
  tokensFor,
  waitUntil,
} from './helpers';

const PARTITIONS = 3;

const acmeConfig = config({
  skills: [{ id: 'en', name: 'English' }],
  queues: [
    {
      id: 'support',
      defaultSkills: [req('en', 2)],
      escalation: [
        {
          afterSeconds: 2,
          onSlaWarning: false,
          onSlaBreach: false,
          relaxMinProficiencyBy: 0,
          dropOptionalSkills: false,
          raisePriorityBy: 5,
          overflowQueueId: '',
        },
      ],
    },
  ],
  defaultQueueId: 'support',
  offers: {
    offerTimeoutSeconds: 60,
    maxMissedOffers: 3,
    preferredAgentWindowSeconds: 0,
    defaultWrapUpSeconds: 0,
  },
});

describe('routing service through a real broker', () => {
  let kafka: SwitchboardKafka;
  let env: Awaited<ReturnType<typeof freshTopics>>;
  let app: RoutingApp;
  let producer: EnvelopeProducer;
  let collector: EnvelopeConsumer;
  let dlqCollector: EnvelopeConsumer;
  const changelog: ConsumedEnvelope[] = [];
  const deadLetters: ConsumedEnvelope[] = [];
  let address = '';
  let httpPort = 0;
  let tokens: string[] = [];

  beforeAll(async () => {
    kafka = kafkaClient();
    env = await freshTopics(kafka, PARTITIONS);
    const made = tokensFor([
      { tenantId: 'acme', agentId: 'a1' },
      { tenantId: 'acme' },
      { tenantId: 'globex', agentId: 'a1' },
    ]);
    tokens = made.tokens;
    app = inProcess(instanceEnv(env.suffix, PARTITIONS, made.entries), kafka);
    const ports = await app.start();
    const grpcPort = ports.grpcPort;
    httpPort = ports.httpPort;
    address = `127.0.0.1:${grpcPort}`;
    producer = kafka.producer();
    await producer.connect();
    collector = await collect(kafka, env.topics.routing, changelog);
    dlqCollector = await collect(kafka, env.topics.deadLetter, deadLetters);
    await waitUntil('recovery', () => app.ready(), 30_000);
  });

  afterAll(async () => {
    await app?.stop();
    await collector?.stop();
    await dlqCollector?.stop();
    await producer?.disconnect();
    await env?.cleanup();
  });

  const agent = (token: string) => createGrpcClient(AgentService, address, { token });
  const events = (tenant: string, kind: string, conversationId?: string) =>
    changelog.filter(
      (c) =>
        c.envelope.tenantId === tenant &&
        c.envelope.payload.case === kind &&
        (conversationId === undefined || c.envelope.aggregateId === conversationId),
    );

  it('routes a conversation to an agent over gRPC: offer, accept, escalation, complete', async () => {
    const desk = agent(tokens[0] as string);
    const updates: WatchOffersResponse[] = [];
    const watching = new AbortController();
    const stream = (async () => {
      try {
        for await (const u of desk.watchOffers({ agentId: 'a1' }, { signal: watching.signal }))
          updates.push(u);
      } catch {
        // cancelled at the end of the test
      }
    })();
    await send(producer, env.topics.config, [configApplied('acme', 1, acmeConfig)]);
    await waitUntil('config applied', () => events('acme', 'routingConfigApplied').length === 1, 30_000);

    await desk.setSkills({ agentId: 'a1', skills: [{ skill: 'en', proficiency: 3 }] });
    await desk.setCapacity({ agentId: 'a1', channels: [{ channel: Channel.CHAT, capacity: 1 }] });
    const ack = await desk.setPresence({ agentId: 'a1', presence: Presence.AVAILABLE });
    expect(ack.accepted?.commandId).toMatch(/[0-9a-f-]{36}/);
    await waitUntil(
      'agent available on the stream',
      () =>
        updates.some(
          (u) => u.update.case === 'stateChanged' && u.update.value.presence === Presence.AVAILABLE,
        ),
      30_000,
    );

    await send(producer, env.topics.conversations, [started('acme', 'c1')]);
    await waitUntil(
      'offer of c1',
      () => updates.some((u) => u.update.case === 'offered' && u.update.value.conversationId === 'c1'),
      30_000,
    );
    const offer = updates.find((u) => u.update.case === 'offered')?.update.value as { offerId: string };
    await desk.acceptOffer({ agentId: 'a1', conversationId: 'c1', offerId: offer.offerId });
    await waitUntil('assignment of c1', () => updates.some((u) => u.update.case === 'assigned'), 30_000);

    // a1 is full: c2 waits, and its queue's escalation step fires after 2 s through the tick.
    await send(producer, env.topics.conversations, [started('acme', 'c2')]);
    await waitUntil(
      'escalation of c2',
      () => events('acme', 'conversationEscalated', 'c2').length === 1,
      30_000,
    );
    const escalated = events('acme', 'conversationEscalated', 'c2')[0]?.envelope;
    expect(escalated?.payload.case === 'conversationEscalated' && escalated.payload.value.newPriority).toBe(
      5,
    );

    const supervisor = createGrpcClient(QueueService, address, { token: tokens[1] as string });
    const { queues } = await supervisor.listQueues({});
    expect(queues).toEqual([
      expect.objectContaining({
        queueId: 'support',
        waiting: 1,
        agentsBusy: 1,
        agentsAvailable: 0,
        waitingByPriority: [expect.objectContaining({ priority: 5, waiting: 1 })],
      }),
    ]);
    await expect(supervisor.getQueueStats({ queueId: 'nope' })).rejects.toMatchObject({
      code: 'RTG_ERR_QUEUE_NOT_FOUND',
      status: Status.NOT_FOUND,
    });

    await desk.completeConversation({ agentId: 'a1', conversationId: 'c1' });
    await waitUntil(
      'c1 released and c2 offered',
      () => updates.some((u) => u.update.case === 'offered' && u.update.value.conversationId === 'c2'),
      30_000,
    );
    expect(updates.some((u) => u.update.case === 'released' && u.update.value.conversationId === 'c1')).toBe(
      true,
    );

    // The changelog of a tenant is the partition its key hashes to, as routing computes it.
    const partitions = new Set(
      changelog.filter((c) => c.envelope.tenantId === 'acme').map((c) => c.partition),
    );
    expect([...partitions]).toEqual([partitionOf('acme', PARTITIONS)]);
    watching.abort();
    await stream;
    desk.close();
    supervisor.close();
  });

  it('gives the same input event one effect however often it arrives', async () => {
    const twice = started('acme', 'c-dup');
    await send(producer, env.topics.conversations, [twice]);
    await send(producer, env.topics.conversations, [twice, twice]);
    await send(producer, env.topics.conversations, [started('acme', 'c-after')]);
    await waitUntil(
      'later conversation queued',
      () => events('acme', 'conversationQueued', 'c-after').length === 1,
      30_000,
    );
    expect(events('acme', 'conversationQueued', 'c-dup')).toHaveLength(1);
  });

  it('dead-letters an input it cannot accept, with the reason, and keeps going', async () => {
    const bad = newEnvelope({
      eventId: 'bad-channel',
      tenantId: 'acme',
      aggregateId: 'c-bad',
      occurredAtMs: Date.now(),
      source: 'test',
      payload: {
        case: 'conversationStarted',
        value: create(ConversationStartedSchema, { channel: Channel.UNSPECIFIED }),
      },
    });
    await send(producer, env.topics.conversations, [bad, started('acme', 'c-good')]);
    await waitUntil(
      'dead letter',
      () => deadLetters.some((d) => d.envelope.eventId === 'bad-channel'),
      30_000,
    );
    const dl = deadLetters.find((d) => d.envelope.eventId === 'bad-channel');
    expect(dl?.headers['dlq.error-code']).toBe('RTG_ERR_INVALID_INPUT');
    expect(dl?.headers['dlq.reason']).toContain('channel');
    expect(dl?.headers['dlq.topic']).toBe(env.topics.conversations);
    await waitUntil(
      'next input decided',
      () => events('acme', 'conversationQueued', 'c-good').length === 1,
      30_000,
    );
  });

  it('rejects calls without a valid token, across tenants and agents, and bad arguments with details', async () => {
    const anonymous = createGrpcClient(AgentService, address);
    await expect(anonymous.setPresence({ agentId: 'a1', presence: Presence.AWAY })).rejects.toMatchObject({
      status: Status.UNAUTHENTICATED,
    });
    const forged = agent('sbt_abcdef0123456789_notthesecret');
    await expect(forged.setPresence({ agentId: 'a1', presence: Presence.AWAY })).rejects.toMatchObject({
      status: Status.UNAUTHENTICATED,
      code: 'AUTH_ERR_TOKEN_INVALID',
    });
    const desk = agent(tokens[0] as string);
    await expect(desk.setPresence({ agentId: 'a2', presence: Presence.AWAY })).rejects.toMatchObject({
      status: Status.PERMISSION_DENIED,
      code: 'RTG_ERR_AGENT_FORBIDDEN',
    });
    const err = await desk
      .acceptOffer({ agentId: 'a1', conversationId: '', offerId: '' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ status: Status.INVALID_ARGUMENT, code: 'RTG_ERR_INVALID_ARGUMENT' });
    expect((err as AppError).violations.map((v) => v.field)).toEqual(['conversation_id', 'offer_id']);
    await expect(desk.setPresence({ agentId: 'a1', presence: Presence.WRAP_UP })).rejects.toMatchObject({
      status: Status.INVALID_ARGUMENT,
      violations: [expect.objectContaining({ field: 'presence' })],
    });

    // globex's agent "a1" is another agent: its token never reaches acme's a1.
    const other = agent(tokens[2] as string);
    await other.setPresence({ agentId: 'a1', presence: Presence.AWAY });
    await waitUntil('globex agent changed', () => events('globex', 'agentStateChanged').length === 1, 30_000);
    expect(app.owner.tenantState('acme')?.agents.get('a1')?.presence).toBe(Presence.AVAILABLE);
    for (const c of [anonymous, forged, desk, other]) c.close();
  });

  it('answers health and readiness over HTTP', async () => {
    const get = (path: string) => fetch(`http://127.0.0.1:${httpPort}${path}`);
    expect((await get('/healthz')).status).toBe(200);
    expect(await (await get('/readyz')).json()).toEqual({ status: 'ready' });
    expect((await get('/nope')).status).toBe(404);
  });
});
