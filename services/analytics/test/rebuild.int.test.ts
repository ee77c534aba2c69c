import type { SwitchboardKafka } from '@switchboard/kafka';
import { uniqueSuffix } from '@switchboard/testkit';
import type { Pool } from 'pg';
import { Projector } from '../src/adapters/kafka/projector';
import { readModelChecksums } from '../src/adapters/pg/checksum';
import { rolePool } from '../src/adapters/pg/pool';
import { ProjectionStore } from '../src/adapters/pg/projection-store';
import { rebuild } from '../src/adapters/rebuild';
import { Refresher } from '../src/adapters/refresher';
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

describe('rebuild', () => {
  let kafka: SwitchboardKafka;
  let topics: TestTopics;
  let db: TestDb;
  let writer: Pool;
  let reader: Pool;
  let live: Projector;
  let refresher: Refresher;
  const groupId = `analytics-${uniqueSuffix()}`;

  beforeAll(async () => {
    kafka = kafkaClient();
    topics = await freshTopics(kafka);
    db = await freshDb();
    writer = rolePool(db.url, db.roles.writer);
    reader = rolePool(db.url, db.roles.analyst);
  });
  afterAll(async () => {
    await live?.stop();
    await refresher?.stop();
    await writer.end();
    await reader.end();
    await db.drop();
  });

  const committed = async () =>
    Number(
      (await db.pool.query('SELECT coalesce(sum(next_offset), 0) AS n FROM analytics.consumer_offsets'))
        .rows[0].n,
    );

  it('replays the log into fresh tables and swaps them in while the projector and readers keep going', async () => {
    const first = await produce(
      kafka,
      syntheticEvents({ topics, conversations: 600, tenants: 3, startMs: T0, run: 'r1' }),
    );
    const store = new ProjectionStore(writer, 'analytics');
    live = new Projector({ kafka, store, logger, groupId, topics: projected(topics) });
    await live.start();
    refresher = new Refresher({ store, logger, intervalMs: 100, kpiIntervalMs: 500 });
    refresher.start();
    await waitFor('the live projector to catch up', async () => (await committed()) >= first);
    await store.refreshAll();

    // Readers query the analyst's way all along; none may fail, none may see an empty table.
    let reading = true;
    let reads = 0;
    let lowest = Number.POSITIVE_INFINITY;
    const readerLoop = (async () => {
      while (reading) {
        const { rows } = await reader.query('SELECT count(*)::int AS n FROM analytics.conversations');
        lowest = Math.min(lowest, rows[0].n);
        reads += 1;
      }
    })();
    const progress: string[] = [];
    const rebuilding = rebuild({
      databaseUrl: db.url,
      roles: db.roles,
      kafka,
      logger,
      liveSchema: 'analytics',
      groupId,
      topics: projected(topics),
      stamp: 'swap',
      idleMs: 500,
      onProgress: (p) => progress.push(p.phase),
    });
    // More traffic while the rebuild runs: it must end up in the swapped-in tables exactly once.
    const second = await produce(
      kafka,
      syntheticEvents({ topics, conversations: 200, tenants: 3, startMs: T0, run: 'r2' }),
    );
    const result = await rebuilding.finally(() => {
      reading = false;
    });
    expect(result).toMatchObject({ schema: 'analytics', retiredSchema: 'analytics_retired_swap' });
    expect(new Set(progress)).toEqual(new Set(['replay', 'recompute', 'tail']));

    await waitFor(
      'the live projector to go on in the new tables',
      async () => (await committed()) >= first + second,
    );
    reading = false;
    await readerLoop;
    expect(reads).toBeGreaterThan(0);
    expect(lowest).toBeGreaterThanOrEqual(600);
    await store.refreshAll();

    const { rows } = await db.pool.query(`SELECT
      (SELECT count(*) FROM analytics.event_log)::int AS events,
      (SELECT count(*) FROM analytics.conversations)::int AS conversations,
      (SELECT sum(offered) FROM analytics.kpi_intervals)::int AS offered,
      (SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'analytics\\_%')::int AS other_schemas`);
    expect(rows[0]).toEqual({ events: first + second, conversations: 800, offered: 800, other_schemas: 0 });

    // And the swapped-in tables equal a clean rebuild of the same log.
    const clean = await rebuild({
      databaseUrl: db.url,
      roles: db.roles,
      kafka,
      logger,
      liveSchema: 'analytics',
      groupId,
      topics: projected(topics),
      stamp: 'check',
      swap: false,
      idleMs: 500,
    });
    expect(await readModelChecksums(db.pool, clean.schema)).toEqual(
      await readModelChecksums(db.pool, 'analytics'),
    );
  });
});
