import { KpiService, Topics } from '@switchboard/contracts';
import { bearerAuth, createGrpcServer, type GrpcServer, type TlsFiles } from '@switchboard/grpc';
import type { EnvelopeProducer, SwitchboardKafka } from '@switchboard/kafka';
import { serviceMeter } from '@switchboard/observability';
import type { FastifyInstance } from 'fastify';
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import { kpiService } from './adapters/grpc/kpi-service';
import { type TenantPrincipal, tokenVerifier } from './adapters/grpc/token-verifier';
import { buildOpsServer } from './adapters/http/ops-server';
import { Projector } from './adapters/kafka/projector';
import { KpiReader } from './adapters/pg/kpi-reader';
import { ProjectionStore } from './adapters/pg/projection-store';
import { Refresher } from './adapters/refresher';
import type { TokenEntry } from './domain/tokens';

/** The event streams the read models come from (agent commands are reflected by routing events). */
export const PROJECTED_TOPICS = [Topics.conversations, Topics.routing, Topics.sla, Topics.config];

export interface AnalyticsDeps {
  logger: Logger;
  kafka: SwitchboardKafka;
  /** Acts as the writer role. */
  writerPool: Pool;
  /** Acts as the analyst role: KPI reads can never write. */
  readerPool: Pool;
  schema: string;
  groupId: string;
  /** Period of read-model refreshes (rows of conversations, assignments, agents). */
  refreshMs: number;
  kpiRefreshMs: number;
  tokens: readonly TokenEntry[];
  grpcTls?: TlsFiles;
  /** Defaults to PROJECTED_TOPICS and Topics.deadLetter (tests use topics of their own). */
  topics?: string[];
  deadLetterTopic?: string;
  metrics(): Promise<{ contentType: string; body: string }>;
}

export interface AnalyticsApp {
  store: ProjectionStore;
  http: FastifyInstance;
  grpc: GrpcServer<TenantPrincipal>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

const meter = serviceMeter('analytics');
const projected = meter.counter('analytics_events_projected', 'Events written to the read models', {
  unit: '{event}',
});
const invalid = meter.counter(
  'analytics_events_invalid',
  'Events sent to the dead-letter topic by the projector',
  {
    unit: '{event}',
  },
);
const skipped = meter.counter(
  'analytics_events_skipped',
  'Events at offsets already committed in PostgreSQL',
  {
    unit: '{event}',
  },
);
const refreshSeconds = meter.histogram(
  'analytics_refresh_seconds',
  'Duration of one read-model refresh cycle',
  {
    unit: 's',
    buckets: [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5],
  },
);
const lag = meter.histogram(
  'analytics_projection_lag_seconds',
  'Fact commit time minus recorded_at per event',
  {
    unit: 's',
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60],
  },
);

/** Builds the service from its dependencies, without listening or consuming. */
export function buildAnalytics(deps: AnalyticsDeps): AnalyticsApp {
  const store = new ProjectionStore(deps.writerPool, deps.schema);
  const deadLetterProducer: EnvelopeProducer = deps.kafka.producer();
  const projector = new Projector({
    kafka: deps.kafka,
    store,
    logger: deps.logger,
    groupId: deps.groupId,
    topics: deps.topics ?? PROJECTED_TOPICS,
    deadLetters: { producer: deadLetterProducer, topic: deps.deadLetterTopic ?? Topics.deadLetter },
    onCommitted: (b) => {
      const attrs = { topic: b.topic };
      projected.add(b.applied, attrs);
      if (b.invalid > 0) invalid.add(b.invalid, attrs);
      if (b.skipped > 0) skipped.add(b.skipped, attrs);
      for (const ms of b.lagsMs) lag.record(ms / 1000, attrs);
    },
  });
  const refresher = new Refresher({
    store,
    logger: deps.logger,
    intervalMs: deps.refreshMs,
    kpiIntervalMs: deps.kpiRefreshMs,
    onCycle: (c) => refreshSeconds.record((c.finishedAt - c.startedAt) / 1000),
  });
  let ready = false;
  const http = buildOpsServer({ isReady: () => ready, metrics: deps.metrics });
  const grpc = createGrpcServer<TenantPrincipal>({
    logger: deps.logger,
    ...(deps.grpcTls ? { tls: deps.grpcTls } : {}),
    authenticate: bearerAuth(tokenVerifier(deps.tokens)),
  });
  grpc.addService(KpiService, kpiService(new KpiReader(deps.readerPool, deps.schema)));

  return {
    store,
    http,
    grpc,
    async start() {
      await deadLetterProducer.connect();
      await projector.start();
      refresher.start();
      ready = true;
    },
    async stop() {
      ready = false;
      await projector.stop();
      await refresher.stop();
      await deadLetterProducer.disconnect();
    },
  };
}
