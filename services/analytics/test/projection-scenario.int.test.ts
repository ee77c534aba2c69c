import type { Envelope } from '@switchboard/contracts';
import fc from 'fast-check';
import { readModelChecksums } from '../src/adapters/pg/checksum';
import { OffsetRegressionError, ProjectionStore } from '../src/adapters/pg/projection-store';
import { toFact } from '../src/domain/to-fact';
import { freshDb, type TestDb } from './support/db';
import { morning, T0 } from './support/scenario';

const GROUP = 'scenario';
const iso = (s: number) => new Date(T0 + s * 1000).toISOString();

/** Feeds envelopes as consecutive offsets of one partition, in batches of `size`. */
async function feed(store: ProjectionStore, events: readonly Envelope[], size: number, firstOffset = 0) {
  for (let i = 0; i < events.length; i += size) {
    const messages = events.slice(i, i + size).map((e, j) => {
      const r = toFact(e);
      return { offset: String(firstOffset + i + j), fact: r.kind === 'fact' ? r.fact : null };
    });
    await store.applyBatch({ groupId: GROUP, topic: 'topic', partition: 0, messages });
  }
  await store.refreshAll();
}

describe('projection of a known morning', () => {
  let db: TestDb;
  let store: ProjectionStore;
  const h = morning();

  beforeAll(async () => {
    db = await freshDb();
    store = new ProjectionStore(db.pool, 'analytics');
    await feed(store, h.events, 7);
  });
  afterAll(async () => {
    await db.drop();
  });

  const row = async (sql: string, params: unknown[] = []) => (await db.pool.query(sql, params)).rows;

  it('keeps one row per conversation with the hand-worked values', async () => {
    const [c2] = await row(`SELECT * FROM analytics.conversations WHERE conversation_id = 'c2'`);
    expect(c2).toMatchObject({
      tenant_id: 't1',
      channel: 'chat',
      queue: 'support',
      priority: 0,
      status: 'resolved',
      customer_id: 'cust-1',
      customer_tier: 'gold',
      assigned_agent_id: 'a3',
      abandoned_at: null,
      reopened_count: 0,
      transfers: 1,
      csat: 3,
      offers: 3,
      handle_seconds: 178,
      sla_first_response_status: 'breached',
      sla_resolution_status: null,
      sla_met: 0,
      sla_breached: 1,
    });
    expect(c2.created_at.toISOString()).toBe(iso(10));
    expect(c2.queued_at.toISOString()).toBe(iso(12));
    expect(c2.first_assigned_at.toISOString()).toBe(iso(42));
    expect(c2.first_response_at.toISOString()).toBe(iso(50));
    expect(c2.resolved_at.toISOString()).toBe(iso(230));
    expect(c2.sla_first_response_breached_at.toISOString()).toBe(iso(45));

    const statuses = await row(
      `SELECT conversation_id, status, reopened_count, offers, handle_seconds FROM analytics.conversations
       ORDER BY conversation_id`,
    );
    expect(statuses).toEqual([
      { conversation_id: 'c1', status: 'resolved', reopened_count: 0, offers: 1, handle_seconds: 60 },
      { conversation_id: 'c2', status: 'resolved', reopened_count: 0, offers: 3, handle_seconds: 178 },
      { conversation_id: 'c3', status: 'abandoned', reopened_count: 0, offers: 1, handle_seconds: null },
      { conversation_id: 'c4', status: 'resolved', reopened_count: 1, offers: 2, handle_seconds: 120 },
      { conversation_id: 'c5', status: 'resolved', reopened_count: 0, offers: 1, handle_seconds: 100 },
      { conversation_id: 'c6', status: 'assigned', reopened_count: 0, offers: 1, handle_seconds: null },
    ]);
    const [c3] = await row(`SELECT * FROM analytics.conversations WHERE conversation_id = 'c3'`);
    expect(c3.abandoned_at.toISOString()).toBe(iso(90));
    expect(c3.first_assigned_at).toBeNull();
    expect(c3.sla_time_to_assignment_status).toBe('breached');
    expect(c3.sla_time_to_assignment_breached_at.toISOString()).toBe(iso(81));
  });

  it('records every offer with its outcome, timings and routing reason', async () => {
    const offers = await row(
      `SELECT offer_id, agent_id, queue, outcome, extract(epoch FROM accepted_at - offered_at)::int AS wait,
              extract(epoch FROM ended_at - accepted_at)::int AS handled, decline_reason
       FROM analytics.assignments ORDER BY offer_id`,
    );
    expect(offers).toEqual([
      {
        offer_id: 'o1',
        agent_id: 'a1',
        queue: 'sales',
        outcome: 'completed',
        wait: 6,
        handled: 60,
        decline_reason: null,
      },
      {
        offer_id: 'o2',
        agent_id: 'a2',
        queue: 'sales',
        outcome: 'declined',
        wait: null,
        handled: null,
        decline_reason: 'busy',
      },
      {
        offer_id: 'o3',
        agent_id: 'a1',
        queue: 'sales',
        outcome: 'transferred',
        wait: 26,
        handled: 58,
        decline_reason: null,
      },
      {
        offer_id: 'o4',
        agent_id: 'a3',
        queue: 'support',
        outcome: 'completed',
        wait: 4,
        handled: 120,
        decline_reason: null,
      },
      {
        offer_id: 'o5',
        agent_id: 'a2',
        queue: 'sales',
        outcome: 'expired',
        wait: null,
        handled: null,
        decline_reason: null,
      },
      {
        offer_id: 'o6',
        agent_id: 'a1',
        queue: 'sales',
        outcome: 'completed',
        wait: 19,
        handled: 60,
        decline_reason: null,
      },
      {
        offer_id: 'o7',
        agent_id: 'a1',
        queue: 'sales',
        outcome: 'completed',
        wait: 3,
        handled: 60,
        decline_reason: null,
      },
      {
        offer_id: 'o8',
        agent_id: 'a4',
        queue: 'sales',
        outcome: 'completed',
        wait: 4,
        handled: 100,
        decline_reason: null,
      },
      {
        offer_id: 'o9',
        agent_id: 'a1',
        queue: 'sales',
        outcome: 'active',
        wait: 39,
        handled: null,
        decline_reason: null,
      },
    ]);
    const [o1] = await row(`SELECT * FROM analytics.assignments WHERE offer_id = 'o1'`);
    expect(o1).toMatchObject({
      routing_rule_id: 'rule-1',
      routing_candidates: 3,
      routing_summary: 'least loaded',
    });
    expect(o1.expires_at.toISOString()).toBe(iso(35));
  });

  it('turns presence changes into status intervals, merging equal consecutive statuses', async () => {
    const intervals = await row(
      `SELECT status, started_at, ended_at FROM analytics.agent_status_intervals
       WHERE agent_id = 'a1' ORDER BY started_at`,
    );
    expect(
      intervals.map((i) => [i.status, i.started_at.toISOString(), i.ended_at?.toISOString() ?? null]),
    ).toEqual([
      ['available', iso(0), iso(200)],
      ['away', iso(200), iso(260)],
      ['available', iso(260), iso(400)],
      ['offline', iso(400), null],
    ]);
  });

  it('keeps every SLA warning, breach and met', async () => {
    const sla = await row(
      `SELECT conversation_id, kind, target FROM analytics.sla_events ORDER BY conversation_id, occurred_at`,
    );
    expect(sla).toEqual([
      { conversation_id: 'c1', kind: 'met', target: 'first_response' },
      { conversation_id: 'c2', kind: 'warning', target: 'first_response' },
      { conversation_id: 'c2', kind: 'breached', target: 'first_response' },
      { conversation_id: 'c3', kind: 'breached', target: 'time_to_assignment' },
      { conversation_id: 'c4', kind: 'met', target: 'first_response' },
      { conversation_id: 'c5', kind: 'met', target: 'first_response' },
    ]);
  });

  it('computes the 15-minute KPIs worked out by hand', async () => {
    const kpis = await row(
      `SELECT to_char(interval_start AT TIME ZONE 'UTC', 'HH24:MI') AS at, queue, channel, offered, answered,
              abandoned, avg_time_to_answer_seconds AS avg_tta, p90_time_to_answer_seconds AS p90_tta,
              avg_handle_time_seconds AS aht, first_contact_resolution_rate AS fcr, sla_attainment AS sla,
              avg_csat AS csat, transfers
       FROM analytics.kpi_intervals ORDER BY interval_start, queue, channel`,
    );
    expect(kpis).toEqual([
      // c1, c3, c4. Answer times 10 and 20 s: p90 = 10 + 0.9 * (20 - 10). Handle 60 and 120 s.
      // Resolved c1 (first contact) and c4 (reopened). SLA: met c1, c4, breached c3. CSAT 5 and 4.
      {
        at: '09:00',
        queue: 'sales',
        channel: 'chat',
        offered: 3,
        answered: 2,
        abandoned: 1,
        avg_tta: 15,
        p90_tta: 19,
        aht: 90,
        fcr: 0.5,
        sla: 2 / 3,
        csat: 4.5,
        transfers: 0,
      },
      // c5: answered after 5 s, 100 s handle, resolved first contact, SLA met, no rating.
      {
        at: '09:00',
        queue: 'sales',
        channel: 'voice',
        offered: 1,
        answered: 1,
        abandoned: 0,
        avg_tta: 5,
        p90_tta: 5,
        aht: 100,
        fcr: 1,
        sla: 1,
        csat: null,
        transfers: 0,
      },
      // c2 (counted in its current queue): 30 s to answer, 58 + 120 s handle, transferred so not FCR.
      {
        at: '09:00',
        queue: 'support',
        channel: 'chat',
        offered: 1,
        answered: 1,
        abandoned: 0,
        avg_tta: 30,
        p90_tta: 30,
        aht: 178,
        fcr: 0,
        sla: 0,
        csat: 3,
        transfers: 1,
      },
      // c6: answered after 40 s, still active.
      {
        at: '09:15',
        queue: 'sales',
        channel: 'chat',
        offered: 1,
        answered: 1,
        abandoned: 0,
        avg_tta: 40,
        p90_tta: 40,
        aht: null,
        fcr: null,
        sla: null,
        csat: null,
        transfers: 0,
      },
    ]);
  });

  it('changes nothing when every event arrives again (same event ids, new offsets)', async () => {
    const before = await readModelChecksums(db.pool, 'analytics');
    await feed(store, h.events, 50, 10_000);
    expect(await readModelChecksums(db.pool, 'analytics')).toEqual(before);
  });

  it('skips offsets already committed for the partition', async () => {
    const before = await readModelChecksums(db.pool, 'analytics');
    const r = await store.applyBatch({
      groupId: GROUP,
      topic: 'topic',
      partition: 0,
      messages: [{ offset: '3', fact: null }],
    });
    expect(r).toMatchObject({ applied: 0, skipped: 1 });
    expect(await readModelChecksums(db.pool, 'analytics')).toEqual(before);
  });

  it('refuses a batch when PostgreSQL holds less than this consumer committed (lost commits)', async () => {
    const before = await readModelChecksums(db.pool, 'analytics');
    const next = (await store.storedOffsets(GROUP))[0]!.nextOffset;
    const attempt = store.applyBatch({
      groupId: GROUP,
      topic: 'topic',
      partition: 0,
      expectedNext: String(BigInt(next) + 100n),
      messages: [{ offset: String(BigInt(next) + 100n), fact: null }],
    });
    await expect(attempt).rejects.toBeInstanceOf(OffsetRegressionError);
    await expect(attempt).rejects.toMatchObject({ stored: next });
    expect(await readModelChecksums(db.pool, 'analytics')).toEqual(before);
  });

  it('converges to the same tables whatever the arrival order and batch sizes', async () => {
    const expected = await readModelChecksums(db.pool, 'analytics');
    await fc.assert(
      fc.asyncProperty(
        fc.shuffledSubarray(h.events, { minLength: h.events.length, maxLength: h.events.length }),
        fc.integer({ min: 1, max: 20 }),
        async (shuffled, size) => {
          const other = await freshDb();
          try {
            const s = new ProjectionStore(other.pool, 'analytics');
            await feed(s, shuffled, size);
            expect(await readModelChecksums(other.pool, 'analytics')).toEqual(expected);
          } finally {
            await other.drop();
          }
        },
      ),
      { numRuns: 4 },
    );
  });
});
