import type { SwitchboardKafka } from '@switchboard/kafka';
import type { Pool } from 'pg';
import { Projector } from '../src/adapters/kafka/projector';
import { rolePool } from '../src/adapters/pg/pool';
import { type PartitionBatch, ProjectionStore } from '../src/adapters/pg/projection-store';
import { freshDb, type TestDb } from './support/db';
import {
  freshTopics,
  kafkaClient,
  logger,
  produce,
  projected,
  type TestTopics,
  waitFor,
} from './support/kafka';
import { syntheticEvents } from './support/synthetic';

const T0 = Date.UTC(2026, 0, 7, 8, 0, 0);

describe('group commit of the projector', () => {
  let kafka: SwitchboardKafka;
  let topics: TestTopics;
  let db: TestDb;
  let writer: Pool;
  let store: ProjectionStore;

  const committed = async () =>
    Number(
      (await db.pool.query('SELECT coalesce(sum(next_offset), 0) AS n FROM analytics.consumer_offsets'))
        .rows[0].n,
    );
  const offsets = async () =>
    (
      await db.pool.query(
        'SELECT topic, partition, next_offset FROM analytics.consumer_offsets ORDER BY topic, partition',
      )
    ).rows;
  const count = async (table: string) =>
    Number((await db.pool.query(`SELECT count(*) AS n FROM analytics.${table}`)).rows[0].n);

  beforeAll(async () => {
    kafka = kafkaClient();
    topics = await freshTopics(kafka, 3);
    db = await freshDb();
    writer = rolePool(db.url, db.roles.writer);
    store = new ProjectionStore(writer, 'analytics');
  });

  afterAll(async () => {
    await db.pool.query(`GRANT INSERT ON analytics.event_log TO ${db.roles.writer}`).catch(() => undefined);
    await writer.end();
    await db.drop();
  });

  it('a failed flush advances no offset, and its events are projected once after the retry', async () => {
    const flushes: { batches: PartitionBatch[]; ok: boolean }[] = [];
    const apply = store.applyBatches.bind(store);
    store.applyBatches = async (batches, opts) => {
      try {
        const r = await apply(batches, opts);
        flushes.push({ batches: [...batches], ok: true });
        return r;
      } catch (err) {
        flushes.push({ batches: [...batches], ok: false });
        throw err;
      }
    };
    const first = await produce(
      kafka,
      syntheticEvents({ topics, conversations: 300, tenants: 9, startMs: T0, run: 'gc1' }),
    );
    let second = 0;
    const projector = new Projector({
      kafka,
      store,
      logger,
      groupId: 'gc-test',
      topics: projected(topics),
      partitionsConsumedConcurrently: 12,
      flushMs: 50,
    });
    await projector.start();
    try {
      await waitFor('the first history committed', async () => (await committed()) >= first, 120_000);
      // Group commit: some transaction carried the batches of several partitions.
      const widest = Math.max(
        ...flushes.map((f) => new Set(f.batches.map((b) => `${b.topic}:${b.partition}`)).size),
      );
      expect(widest).toBeGreaterThan(1);
      const before = await offsets();

      // PostgreSQL refuses the writes from now on: every flush fails.
      await db.pool.query(`REVOKE INSERT ON analytics.event_log FROM ${db.roles.writer}`);
      second = await produce(
        kafka,
        syntheticEvents({ topics, conversations: 200, tenants: 9, startMs: T0 + 3_600_000, run: 'gc2' }),
      );
      await waitFor('two failed flushes', async () => flushes.filter((f) => !f.ok).length >= 2, 60_000);
      expect(await offsets()).toEqual(before);
      expect(await count('event_log')).toBe(first);

      await db.pool.query(`GRANT INSERT ON analytics.event_log TO ${db.roles.writer}`);
      await waitFor(
        'everything committed after the retry',
        async () => (await committed()) >= first + second,
        120_000,
      );
      expect(await committed()).toBe(first + second);
    } finally {
      await projector.stop();
    }
    await store.refreshAll();
    const totals = (
      await db.pool.query(`SELECT
        (SELECT count(*) FROM analytics.event_log)::int AS events,
        (SELECT count(*) FROM analytics.conversations)::int AS conversations,
        (SELECT count(*) FROM analytics.assignments)::int AS assignments,
        (SELECT sum(offered) FROM analytics.kpi_intervals)::int AS offered,
        (SELECT sum(csat_count) FROM analytics.kpi_intervals)::int AS rated`)
    ).rows[0];
    // Every event exactly once: none skipped by the failed flushes, none counted twice by the retry.
    expect(totals).toEqual({
      events: first + second,
      conversations: 500,
      assignments: 500,
      offered: 500,
      rated: 500,
    });
  });
});
