import { create } from '@bufbuild/protobuf';
import { Channel, CsatSubmittedSchema, KpiService, newEnvelope, tsFromMs } from '@switchboard/contracts';
import { createGrpcClient, Status } from '@switchboard/grpc';
import type { ConsumedEnvelope, SwitchboardKafka } from '@switchboard/kafka';
import { uniqueSuffix } from '@switchboard/testkit';
import type { Pool } from 'pg';
import { rolePool } from '../src/adapters/pg/pool';
import { type AnalyticsApp, buildAnalytics } from '../src/app';
import { freshDb, type TestDb } from './support/db';
import {
  freshTopics,
  kafkaClient,
  logger,
  produce,
  projected,
  route,
  sha256Hex,
  type TestTopics,
  waitFor,
} from './support/kafka';
import { morning, T0 } from './support/scenario';

describe('analytics service over real Kafka and PostgreSQL', () => {
  let kafka: SwitchboardKafka;
  let topics: TestTopics;
  let db: TestDb;
  let writer: Pool;
  let reader: Pool;
  let app: AnalyticsApp;
  let grpcPort: number;

  beforeAll(async () => {
    kafka = kafkaClient();
    topics = await freshTopics(kafka);
    db = await freshDb();
    writer = rolePool(db.url, db.roles.writer, { asyncCommit: true });
    reader = rolePool(db.url, db.roles.analyst);
    app = buildAnalytics({
      logger,
      kafka,
      writerPool: writer,
      readerPool: reader,
      schema: 'analytics',
      groupId: `analytics-${uniqueSuffix()}`,
      refreshMs: 100,
      kpiRefreshMs: 200,
      tokens: [
        { tenantId: 't1', sha256Hex: sha256Hex('token-of-t1') },
        { tenantId: 't2', sha256Hex: sha256Hex('token-of-t2') },
      ],
      topics: projected(topics),
      deadLetterTopic: topics.deadLetter,
      metrics: async () => ({ contentType: 'text/plain', body: '' }),
    });
    grpcPort = await app.grpc.listen('127.0.0.1', 0);

    const h = morning('t1');
    // An out-of-range CSAT (valid envelope, invalid event) and bytes that are no envelope at all.
    const badCsat = newEnvelope({
      eventId: 'bad-csat',
      tenantId: 't1',
      aggregateId: 'c1',
      occurredAtMs: T0,
      source: 'test',
      payload: { case: 'csatSubmitted', value: create(CsatSubmittedSchema, { score: 9 }) },
    });
    const routed = h.events.map((e) => route(topics, e));
    await produce(kafka, routed.slice(0, 20));
    await produce(kafka, [{ topic: topics.conversations, envelope: badCsat }]);
    const raw = kafka.producer();
    await raw.connect();
    await raw.sendRaw(topics.conversations, [{ key: 't1', value: Buffer.from('not an envelope') }]);
    await raw.disconnect();
    await produce(kafka, routed.slice(20));
    await app.start();
  });

  afterAll(async () => {
    await app.stop();
    await app.grpc.shutdown(1000);
    await writer.end();
    await reader.end();
    await db.drop();
  });

  const kpiCount = async () =>
    Number((await db.pool.query('SELECT count(*) AS n FROM analytics.kpi_intervals')).rows[0].n);

  it('projects the morning from the topics into the hand-worked KPIs', async () => {
    await waitFor('the 4 KPI rows of the morning, all conversations resolved as expected', async () => {
      const { rows } = await db.pool.query(
        `SELECT count(*) FILTER (WHERE status = 'resolved') AS resolved FROM analytics.conversations`,
      );
      return Number(rows[0].resolved) === 4 && (await kpiCount()) === 4;
    });
    const { rows } = await db.pool.query(
      `SELECT queue, channel, offered, answered, abandoned, p90_time_to_answer_seconds AS p90, avg_csat AS csat
       FROM analytics.kpi_intervals WHERE interval_start = $1 ORDER BY queue, channel`,
      [new Date(T0)],
    );
    expect(rows).toEqual([
      { queue: 'sales', channel: 'chat', offered: 3, answered: 2, abandoned: 1, p90: 19, csat: 4.5 },
      { queue: 'sales', channel: 'voice', offered: 1, answered: 1, abandoned: 0, p90: 5, csat: null },
      { queue: 'support', channel: 'chat', offered: 1, answered: 1, abandoned: 0, p90: 30, csat: 3 },
    ]);
  });

  it('sends the invalid event to the dead-letter topic with its reason and keeps going', async () => {
    const dead: ConsumedEnvelope[] = [];
    const collector = kafka.consumer({
      groupId: `collector-${uniqueSuffix()}`,
      topics: [topics.deadLetter],
      fromBeginning: true,
      deadLetterTopic: topics.sink,
    });
    await collector.run(async (batch) => {
      dead.push(...batch);
    });
    try {
      await waitFor('the invalid CSAT in the dead-letter topic', async () => dead.length >= 1);
      const bad = dead.find((d) => d.envelope.eventId === 'bad-csat');
      expect(bad?.headers).toMatchObject({
        'dlq.error-code': 'ANL_ERR_INVALID_EVENT',
        'dlq.topic': topics.conversations,
      });
      expect(bad?.headers['dlq.reason']).toContain('csat score 9');
      // Its score never reached the table: c1 keeps the valid rating.
      const { rows } = await db.pool.query(
        `SELECT csat FROM analytics.conversations WHERE conversation_id = 'c1'`,
      );
      expect(rows).toEqual([{ csat: 5 }]);
    } finally {
      await collector.stop();
    }
  });

  it('serves the KPIs of the caller tenant over gRPC', async () => {
    const client = createGrpcClient(KpiService, `127.0.0.1:${grpcPort}`, { token: 'token-of-t1' });
    const quarter = await client.getKpis({
      from: tsFromMs(T0),
      to: tsFromMs(T0 + 30 * 60_000),
      intervalMinutes: 0,
    });
    expect(quarter.intervals).toHaveLength(4);
    expect(quarter.intervals[0]).toMatchObject({
      queueId: 'sales',
      channel: Channel.CHAT,
      offered: 3,
      answered: 2,
      abandoned: 1,
      avgTimeToAnswerSeconds: 15,
      p90TimeToAnswerSeconds: 19,
      avgHandleTimeSeconds: 90,
      firstContactResolutionRate: 0.5,
      avgCsat: 4.5,
    });
    // Half an hour of sales chat: c1, c3, c4 and c6. Answer times 10, 20, 40 s: p90 = 20 + 0.8 * 20.
    const half = await client.getKpis({
      queueId: 'sales',
      channel: Channel.CHAT,
      from: tsFromMs(T0),
      to: tsFromMs(T0 + 30 * 60_000),
      intervalMinutes: 30,
    });
    expect(half.intervals).toHaveLength(1);
    expect(half.intervals[0]).toMatchObject({
      offered: 4,
      answered: 3,
      abandoned: 1,
      p90TimeToAnswerSeconds: 36,
    });
    expect(half.intervals[0]!.avgTimeToAnswerSeconds).toBeCloseTo(70 / 3, 9);
  });

  it('never shows a tenant the KPIs of another, and refuses calls without a valid token', async () => {
    const other = createGrpcClient(KpiService, `127.0.0.1:${grpcPort}`, { token: 'token-of-t2' });
    const range = { from: tsFromMs(T0), to: tsFromMs(T0 + 30 * 60_000) };
    expect((await other.getKpis(range)).intervals).toEqual([]);
    const anonymous = createGrpcClient(KpiService, `127.0.0.1:${grpcPort}`);
    await expect(anonymous.getKpis(range)).rejects.toMatchObject({
      status: Status.UNAUTHENTICATED,
      code: 'AUTH_ERR_TOKEN_MISSING',
    });
    const wrong = createGrpcClient(KpiService, `127.0.0.1:${grpcPort}`, { token: 'token-of-t3' });
    await expect(wrong.getKpis(range)).rejects.toMatchObject({ status: Status.UNAUTHENTICATED });
    const t1 = createGrpcClient(KpiService, `127.0.0.1:${grpcPort}`, { token: 'token-of-t1' });
    await expect(t1.getKpis({ ...range, intervalMinutes: 20 })).rejects.toMatchObject({
      status: Status.INVALID_ARGUMENT,
      code: 'ANL_ERR_INVALID_QUERY',
    });
  });

  it('reports ready once consuming', async () => {
    const res = await app.http.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(200);
  });
});
