import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import type { SwitchboardKafka } from '@switchboard/kafka';
import { uniqueSuffix } from '@switchboard/testkit';
import { readModelChecksums } from '../src/adapters/pg/checksum';
import { ProjectionStore } from '../src/adapters/pg/projection-store';
import { rebuild } from '../src/adapters/rebuild';
import { freshDb, type TestDb } from './support/db';
import {
  brokers,
  freshTopics,
  kafkaClient,
  logger,
  produce,
  projected,
  type TestTopics,
  waitFor,
} from './support/kafka';
import type { ProjectorProcessArgs } from './support/projector-process';
import { syntheticEvents } from './support/synthetic';

const CONVERSATIONS = 2500;
const T0 = Date.UTC(2026, 0, 6, 8, 0, 0);

describe('exactly once into PostgreSQL', () => {
  let kafka: SwitchboardKafka;
  let topics: TestTopics;
  let db: TestDb;
  let store: ProjectionStore;
  let total: number;
  const groupId = `analytics-${uniqueSuffix()}`;
  const children = new Set<ChildProcess>();

  const startProjector = (): ChildProcess => {
    const args: ProjectorProcessArgs = {
      databaseUrl: db.url,
      writerRole: db.roles.writer,
      brokers: brokers(),
      groupId,
      topics: projected(topics),
      deadLetterTopic: topics.deadLetter,
      flushEvents: 500,
    };
    const child = spawn(
      process.execPath,
      [
        '--conditions=@switchboard/source',
        '--import',
        'tsx',
        'test/support/projector-process.ts',
        JSON.stringify(args),
      ],
      { cwd: path.resolve(__dirname, '..'), stdio: ['ignore', 'ignore', 'inherit'] },
    );
    children.add(child);
    child.on('exit', () => children.delete(child));
    return child;
  };
  const committed = async () =>
    Number(
      (await db.pool.query('SELECT coalesce(sum(next_offset), 0) AS n FROM analytics.consumer_offsets'))
        .rows[0].n,
    );
  const exited = (child: ChildProcess) => new Promise((r) => child.once('exit', r));

  beforeAll(async () => {
    kafka = kafkaClient();
    topics = await freshTopics(kafka);
    db = await freshDb();
    store = new ProjectionStore(db.pool, 'analytics');
    total = await produce(
      kafka,
      syntheticEvents({ topics, conversations: CONVERSATIONS, tenants: 7, startMs: T0, run: 'eo' }),
    );
  });

  afterAll(async () => {
    for (const c of children) c.kill('SIGKILL');
    await db.drop();
  });

  it('after a SIGKILL mid-stream and a restart, equals a clean rebuild with no double counts', async () => {
    const first = startProjector();
    await waitFor(
      'a first part of the log committed',
      async () => (await committed()) >= total * 0.2,
      120_000,
    );
    first.kill('SIGKILL');
    await exited(first);
    const atKill = await committed();
    expect(atKill).toBeLessThan(total);

    const second = startProjector();
    await waitFor('the whole log committed', async () => (await committed()) >= total, 180_000);
    second.kill('SIGTERM');
    await exited(second);
    await store.refreshAll();

    const counts = (
      await db.pool.query(`SELECT
        (SELECT count(*) FROM analytics.event_log)::int AS events,
        (SELECT count(*) FROM analytics.conversations)::int AS conversations,
        (SELECT sum(offered) FROM analytics.kpi_intervals)::int AS offered,
        (SELECT sum(csat_count) FROM analytics.kpi_intervals)::int AS rated,
        (SELECT count(*) FROM analytics.assignments)::int AS assignments`)
    ).rows[0];
    expect(counts).toEqual({
      events: total,
      conversations: CONVERSATIONS,
      offered: CONVERSATIONS,
      rated: CONVERSATIONS,
      assignments: CONVERSATIONS,
    });

    const clean = await rebuild({
      databaseUrl: db.url,
      roles: db.roles,
      kafka,
      logger,
      liveSchema: 'analytics',
      groupId,
      topics: projected(topics),
      stamp: 'clean',
      swap: false,
      idleMs: 500,
    });
    expect(clean.events).toBe(total);
    expect(await readModelChecksums(db.pool, clean.schema)).toEqual(
      await readModelChecksums(db.pool, 'analytics'),
    );
  });
});
