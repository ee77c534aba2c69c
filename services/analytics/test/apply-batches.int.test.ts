import { readModelChecksums } from '../src/adapters/pg/checksum';
import { type OffsetFact, ProjectionStore } from '../src/adapters/pg/projection-store';
import { toFact } from '../src/domain/to-fact';
import { freshDb, type TestDb } from './support/db';
import { morning } from './support/scenario';

const GROUP = 'group-commit';

/** Consecutive offsets from `first`, one per envelope. */
function messages(events: ReturnType<typeof morning>['events'], first: number): OffsetFact[] {
  return events.map((e, i) => {
    const r = toFact(e);
    return { offset: String(first + i), fact: r.kind === 'fact' ? r.fact : null };
  });
}

describe('one transaction for the batches of several partitions', () => {
  let one: TestDb;
  let many: TestDb;
  const h = morning();

  beforeAll(async () => {
    [one, many] = await Promise.all([freshDb(), freshDb()]);
  });
  afterAll(async () => {
    await Promise.all([one.drop(), many.drop()]);
  });

  const offsets = async (db: TestDb) =>
    (
      await db.pool.query(
        `SELECT topic, partition, next_offset::int AS next FROM analytics.consumer_offsets
         WHERE group_id = $1 ORDER BY topic, partition`,
        [GROUP],
      )
    ).rows;

  it('stores every partition its next offset and gives the same tables as one partition at a time', async () => {
    const a = h.events.slice(0, 10);
    const b = h.events.slice(10);
    // Reference: one partition batch per transaction.
    const ref = new ProjectionStore(one.pool, 'analytics');
    await ref.applyBatch({ groupId: GROUP, topic: 'x', partition: 0, messages: messages(a, 0) });
    await ref.applyBatch({ groupId: GROUP, topic: 'y', partition: 2, messages: messages(b, 40) });
    await ref.refreshAll();

    const store = new ProjectionStore(many.pool, 'analytics');
    const results = await store.applyBatches([
      { groupId: GROUP, topic: 'y', partition: 2, messages: messages(b, 40) },
      { groupId: GROUP, topic: 'x', partition: 0, messages: messages(a, 0) },
    ]);
    await store.refreshAll();
    expect(results.map((r) => r.nextOffset)).toEqual([String(40 + b.length), '10']);
    expect(await offsets(many)).toEqual([
      { topic: 'x', partition: 0, next: 10 },
      { topic: 'y', partition: 2, next: 40 + b.length },
    ]);
    expect(await readModelChecksums(many.pool, 'analytics')).toEqual(
      await readModelChecksums(one.pool, 'analytics'),
    );
  });

  it('applies two batches of one partition in order, skipping what is stored, and writes nothing twice', async () => {
    const store = new ProjectionStore(many.pool, 'analytics');
    const before = await readModelChecksums(many.pool, 'analytics');
    // Offsets 5..11 of x-0: 5..9 are stored already (re-delivery), 10 and 11 are new but have no fact.
    const results = await store.applyBatches([
      { groupId: GROUP, topic: 'x', partition: 0, messages: messages(h.events.slice(5, 8), 5) },
      {
        groupId: GROUP,
        topic: 'x',
        partition: 0,
        messages: [
          ...messages(h.events.slice(8, 10), 8),
          { offset: '10', fact: null },
          { offset: '11', fact: null },
        ],
      },
    ]);
    expect(results).toEqual([
      { applied: 0, skipped: 3, nextOffset: '10' },
      { applied: 0, skipped: 2, nextOffset: '12' },
    ]);
    expect(await offsets(many)).toContainEqual({ topic: 'x', partition: 0, next: 12 });
    await store.refreshAll();
    expect(await readModelChecksums(many.pool, 'analytics')).toEqual(before);
  });

  it('holds back a partition whose stored offset went back, and applies the others', async () => {
    const store = new ProjectionStore(many.pool, 'analytics');
    const results = await store.applyBatches([
      // This consumer believes it committed x-0 up to 500: PostgreSQL lost commits.
      {
        groupId: GROUP,
        topic: 'x',
        partition: 0,
        expectedNext: '500',
        messages: messages(h.events.slice(0, 2), 500),
      },
      { groupId: GROUP, topic: 'z', partition: 1, messages: [{ offset: '0', fact: null }] },
    ]);
    expect(results).toEqual([
      { applied: 0, skipped: 0, nextOffset: '12', regressedTo: '12' },
      { applied: 0, skipped: 0, nextOffset: '1' },
    ]);
    expect(await offsets(many)).toEqual([
      { topic: 'x', partition: 0, next: 12 },
      { topic: 'y', partition: 2, next: 40 + h.events.length - 10 },
      { topic: 'z', partition: 1, next: 1 },
    ]);
  });
});
