import type { Server } from 'node:http';
import type { EnvelopeProducer, SwitchboardKafka, TransactionalLoop } from '@switchboard/kafka';
import type { Logger, ServiceMeter } from '@switchboard/observability';
import { createHealthServer, listen } from '@switchboard/observability';
import { KafkaLogReader } from './adapters/kafka/kafka-log';
import { KafkaSnapshotSink, KafkaTickSink } from './adapters/kafka/kafka-sinks';
import { slaTopicSpecs } from './adapters/kafka/topics';
import type { SlaConfig } from './config';
import { realClock, Ticker, type TickerClock } from './runtime/ticker';
import { noMetrics, otelSlaMetrics } from './service/metrics';
import { SlaOwner } from './service/sla-owner';

export interface SlaAppDeps {
  config: Readonly<SlaConfig>;
  logger: Logger;
  kafka: SwitchboardKafka;
  clock?: TickerClock;
  meter?: ServiceMeter;
  metricsHandler?: () => Promise<{ contentType: string; body: string }>;
}

export interface SlaApp {
  readonly owner: SlaOwner;
  /** Ensures the topics, joins the group, starts the tick and the HTTP listener; resolves with its port. */
  start(): Promise<{ httpPort: number }>;
  /** Graceful: stops ticks, finishes the transaction in progress, writes snapshots, leaves the group. */
  stop(): Promise<void>;
  ready(): boolean;
}

/** Builds the sla-timer from its dependencies without listening (main.ts or tests call start). */
export function buildSlaApp(deps: SlaAppDeps): SlaApp {
  const { config, logger, kafka } = deps;
  const env = config.env;
  const topics = config.topics;
  const clock = deps.clock ?? realClock;
  const groupId = env.SLA_GROUP_ID;
  const tickProducer: EnvelopeProducer = kafka.producer({ lingerMs: 0 });
  const snapshotProducer: EnvelopeProducer = kafka.producer({
    maxBatchMessages: 1,
    requestTimeoutMs: 30_000,
  });

  const log = new KafkaLogReader(kafka, groupId);
  const owner = new SlaOwner({
    topics,
    log,
    ticks: new KafkaTickSink(tickProducer, topics.ticks),
    finalSnapshots: new KafkaSnapshotSink(snapshotProducer, topics.snapshots),
    clock: () => clock.now(),
    logger: logger.child({ component: 'owner' }),
    metrics: deps.meter ? otelSlaMetrics(deps.meter) : noMetrics,
    snapshotEveryEvents: env.SLA_SNAPSHOT_EVERY_EVENTS,
    snapshotIntervalMs: env.SLA_SNAPSHOT_INTERVAL,
    tickGapMs: env.SLA_TICK_MS,
  });

  // Batches run one at a time across all partitions: the four input topics of partition p commit through
  // four transactional ids, and only serial commits keep a snapshot's offsets and the changelog consistent.
  const loop: TransactionalLoop = kafka.transactionalLoop({
    groupId,
    inputTopics: [...owner.topics],
    transactionalIdPrefix: groupId,
    deadLetterTopic: topics.deadLetter,
    fromBeginning: true,
    partitionsConsumedConcurrently: 1,
    sessionTimeoutMs: env.SLA_SESSION_TIMEOUT,
    process: (batch, tp) => owner.process(batch, tp.topic, tp.partition),
    onPartitionsAssigned: (parts) => owner.onAssigned(parts),
    onPartitionsRevoked: (parts) => owner.onRevoked(parts),
    onError: (_err, tp) => owner.onTransactionFailed(tp.partition),
  });

  const ticker = new Ticker(
    env.SLA_TICK_MS,
    (now) => owner.tick(now).catch((err: unknown) => logger.warn({ err }, 'sla tick failed')),
    clock,
    { nextDeadline: () => owner.nextDeadline(), minGapMs: 10 },
  );

  if (deps.meter) {
    deps.meter.observableGauge('sla_pending_timers', 'Running SLA clocks with a pending timer', () =>
      owner.pendingTimers(),
    );
    deps.meter.observableGauge(
      'sla_owned_partitions',
      'Input partitions this replica owns',
      () => owner.ownedPartitions().length,
    );
  }

  let http: Server | undefined;
  let started = false;
  const ready = () => started && owner.ready();

  return {
    owner,
    ready,
    async start() {
      const admin = kafka.admin();
      try {
        const created = await admin.ensureTopics(slaTopicSpecs(topics, env.SLA_PARTITIONS));
        if (created.length > 0) logger.info({ created }, 'topics created');
      } finally {
        await admin.disconnect();
      }
      await tickProducer.connect();
      await snapshotProducer.connect();
      http = createHealthServer({
        ready,
        metrics:
          deps.metricsHandler ??
          (async () => ({
            contentType: 'text/plain; version=0.0.4',
            body: `# TYPE sla_pending_timers gauge\nsla_pending_timers ${owner.pendingTimers()}\n`,
          })),
      });
      const httpPort = await listen(http, env.HTTP_HOST, env.HTTP_PORT);
      await loop.start();
      ticker.start();
      started = true;
      logger.info({ httpPort, group: groupId }, 'sla-timer started');
      return { httpPort };
    },
    async stop() {
      owner.beginShutdown();
      ticker.stop();
      await loop.stop(); // finishes the batch in progress; the revocations write the final snapshots
      await Promise.all([tickProducer.disconnect(), snapshotProducer.disconnect(), log.close()]);
      if (http) await new Promise<void>((resolve) => http?.close(() => resolve()));
      started = false;
      logger.info('sla-timer stopped');
    },
  };
}
