import type { Server } from 'node:http';
import { AgentService } from '@switchboard/contracts/gen/switchboard/routing/v1/agent_service_pb';
import { QueueService } from '@switchboard/contracts/gen/switchboard/routing/v1/queue_service_pb';
import { bearerAuth, createGrpcServer, type GrpcServer } from '@switchboard/grpc';
import type { EnvelopeProducer, SwitchboardKafka, TransactionalLoop } from '@switchboard/kafka';
import type { Logger, ServiceMeter } from '@switchboard/observability';
import { createHealthServer, listen } from '@switchboard/observability';
import { agentServiceImpl } from './adapters/grpc/agent-service';
import { type AgentPrincipal, type AgentTokenEntry, TokenRing } from './adapters/grpc/agent-tokens';
import { queueServiceImpl } from './adapters/grpc/queue-service';
import { KafkaChangelogReader } from './adapters/kafka/kafka-changelog';
import { KafkaDeadLetterSink, KafkaTickSink } from './adapters/kafka/kafka-sinks';
import { KafkaSnapshotStore } from './adapters/kafka/kafka-snapshot-store';
import { createOwnerLoop, ownerInputTopics } from './adapters/kafka/owner-loop';
import { RoutingTail } from './adapters/kafka/routing-tail';
import { routingTopicSpecs } from './adapters/kafka/topics';
import type { RoutingConfig } from './config';
import { AgentHub } from './service/agent-hub';
import { noMetrics } from './service/metrics';
import { otelRoutingMetrics } from './service/otel-metrics';
import { partitionOf } from './service/partitioner';
import { RoutingOwner } from './service/routing-owner';

export interface RoutingAppDeps {
  config: Readonly<RoutingConfig>;
  logger: Logger;
  kafka: SwitchboardKafka;
  tokens: readonly AgentTokenEntry[];
  clock?: () => number;
  meter?: ServiceMeter;
  metricsHandler?: () => Promise<{ contentType: string; body: string }>;
}

export interface RoutingApp {
  readonly owner: RoutingOwner;
  readonly hub: AgentHub;
  /** Creates topics if configured, joins the group, starts listeners; resolves with the bound ports. */
  start(): Promise<{ grpcPort: number; httpPort: number }>;
  /** Graceful: stops ticks, drains gRPC, finishes the current transaction, snapshots, leaves the group. */
  stop(): Promise<void>;
  ready(): boolean;
}

/** Builds the routing service from its dependencies without listening (main.ts or tests call start). */
export function buildRoutingApp(deps: RoutingAppDeps): RoutingApp {
  const { config, logger, kafka } = deps;
  const env = config.env;
  const topics = config.topics;
  const clock = deps.clock ?? Date.now;
  const metrics = deps.meter ? otelRoutingMetrics(deps.meter) : noMetrics;
  const producer: EnvelopeProducer = kafka.producer();
  const snapshotProducer: EnvelopeProducer = kafka.producer({
    maxBatchMessages: 1,
    requestTimeoutMs: 30_000,
  });
  const groupId = env.ROUTING_GROUP_ID;
  const hub = new AgentHub();

  const owner = new RoutingOwner({
    inputTopics: ownerInputTopics(topics),
    changelogTopic: topics.routing,
    changelog: new KafkaChangelogReader(kafka, producer, {
      topic: topics.routing,
      partitions: env.ROUTING_PARTITIONS,
      deadLetterTopic: topics.deadLetter,
    }),
    snapshots: new KafkaSnapshotStore(
      kafka,
      snapshotProducer,
      topics.snapshots,
      topics.deadLetter,
      env.ROUTING_RECOVERY_IDLE,
    ),
    ticks: new KafkaTickSink(producer, topics.agentCommands),
    deadLetters: new KafkaDeadLetterSink(producer, topics.deadLetter, groupId),
    clock,
    logger: logger.child({ component: 'owner' }),
    metrics,
    snapshotEveryEvents: env.ROUTING_SNAPSHOT_EVERY_EVENTS,
    snapshotIntervalMs: env.ROUTING_SNAPSHOT_INTERVAL,
  });

  const tail = new RoutingTail(kafka, topics.routing, topics.deadLetter, (records) => {
    for (const r of records) {
      owner.onCommitted(r.partition, BigInt(r.offset), r.envelope.eventId);
      hub.publish(r.envelope);
    }
  });

  const loop: TransactionalLoop = createOwnerLoop(kafka, owner, {
    transactionTimeoutMs: env.ROUTING_TRANSACTION_TIMEOUT,
    groupId,
    topics,
    sessionTimeoutMs: env.ROUTING_SESSION_TIMEOUT,
    partitions: env.ROUTING_PARTITIONS,
  });

  const ring = new TokenRing(deps.tokens);
  const grpc: GrpcServer<AgentPrincipal> = createGrpcServer<AgentPrincipal>({
    logger: logger.child({ component: 'grpc' }),
    ...(config.grpcTls ? { tls: config.grpcTls } : {}),
    authenticate: bearerAuth((token) => ring.verify(token)),
  });
  grpc.addService(
    AgentService,
    agentServiceImpl({ commands: { append: (e) => producer.send(topics.agentCommands, [e]) }, hub, clock }),
  );
  grpc.addService(
    QueueService,
    queueServiceImpl({
      queueStats: (tenantId) => {
        const partition = partitionOf(tenantId, env.ROUTING_PARTITIONS);
        const queues = owner.queueStats(tenantId, partition);
        return queues ? { owned: true, queues } : { owned: false, partition };
      },
    }),
  );

  if (deps.meter) {
    deps.meter.observableGauge('routing_queue_length', 'Conversations waiting, by tenant and queue', () =>
      owner
        .waitingByQueue()
        .map((q) => ({ value: q.waiting, attributes: { tenant: q.tenantId, queue: q.queueId } })),
    );
    deps.meter.observableGauge(
      'routing_snapshot_age',
      'Seconds since the last snapshot of each owned partition (-1: none yet)',
      () => owner.snapshotAges().map((a) => ({ value: a.seconds, attributes: { partition: a.partition } })),
      { unit: 's' },
    );
    deps.meter.observableGauge(
      'routing_agent_streams',
      'Agent streams connected to this replica',
      () => hub.connected,
    );
  }

  let http: Server | undefined;
  let ticker: NodeJS.Timeout | undefined;
  let ticking = false;
  let started = false;

  const tick = () => {
    if (ticking) return;
    ticking = true;
    owner
      .tick()
      .catch((err: unknown) => logger.warn({ err }, 'routing tick failed'))
      .finally(() => {
        ticking = false;
      });
  };

  return {
    owner,
    hub,
    ready: () => started && owner.ready(),
    async start() {
      if (env.ROUTING_CREATE_TOPICS) {
        const admin = kafka.admin();
        try {
          const created = await admin.ensureTopics(routingTopicSpecs(topics, env.ROUTING_PARTITIONS));
          if (created.length > 0) logger.info({ created }, 'topics created');
        } finally {
          await admin.disconnect();
        }
      }
      await producer.connect();
      await snapshotProducer.connect();
      await tail.start();
      await loop.start();
      ticker = setInterval(tick, env.ROUTING_TICK_INTERVAL);
      const grpcPort = await grpc.listen(env.GRPC_HOST, env.GRPC_PORT);
      http = createHealthServer({
        ready: () => started && owner.ready(),
        metrics: deps.metricsHandler ?? (async () => ({ contentType: 'text/plain', body: '' })),
      });
      const httpPort = await listen(http, env.HTTP_HOST, env.HTTP_PORT);
      started = true;
      logger.info({ grpcPort, httpPort, group: groupId }, 'routing started');
      return { grpcPort, httpPort };
    },
    async stop() {
      owner.beginShutdown();
      if (ticker) clearInterval(ticker);
      hub.closeAll();
      await grpc.shutdown(env.ROUTING_SHUTDOWN_GRACE);
      await loop.stop();
      await tail.stop();
      await Promise.all([producer.disconnect(), snapshotProducer.disconnect()]);
      if (http) await new Promise<void>((resolve) => http?.close(() => resolve()));
      started = false;
      logger.info('routing stopped');
    },
  };
}
