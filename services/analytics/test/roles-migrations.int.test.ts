import { Client } from 'pg';
import { migrate } from '../src/adapters/pg/migrations';
import { freshDb, type TestDb } from './support/db';

const MIGRATIONS = ['1763900000000_read-models', '1763900100000_views', '1763900200000_deferred-refresh'];

/** Runs `sql` in a session acting as `role` (SET ROLE drops the superuser's rights). */
async function asRole(db: TestDb, role: string, sql: string): Promise<unknown[]> {
  const c = new Client({ connectionString: db.url });
  await c.connect();
  try {
    await c.query(`SET ROLE ${role}`);
    return (await c.query(sql)).rows;
  } finally {
    await c.end();
  }
}

describe('migrations', () => {
  it('apply on the previous version', async () => {
    const db = await freshDb({ count: MIGRATIONS.length - 1 });
    try {
      await db.pool.query(`INSERT INTO analytics.event_log (tenant_id, event_id, kind, conversation_id, occurred_at)
        VALUES ('t1', 'e1', 'conversation_started', 'c1', now())`);
      expect(await migrate({ databaseUrl: db.url, schema: 'analytics', roles: db.roles })).toEqual(
        MIGRATIONS.slice(-1),
      );
      const { rows } = await db.pool.query('SELECT event_id FROM analytics.event_log');
      expect(rows).toEqual([{ event_id: 'e1' }]);
      await expect(db.pool.query('SELECT * FROM analytics.dirty_conversations')).resolves.toMatchObject({
        rowCount: 0,
      });
    } finally {
      await db.drop();
    }
  });

  it('apply on an empty database, and again changes nothing', async () => {
    const db = await freshDb({ migrate: false });
    try {
      expect(await migrate({ databaseUrl: db.url, schema: 'analytics', roles: db.roles })).toEqual(
        MIGRATIONS,
      );
      expect(await migrate({ databaseUrl: db.url, schema: 'analytics', roles: db.roles })).toEqual([]);
      const { rows } = await db.pool.query(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'analytics' ORDER BY 1`,
      );
      expect(rows.map((r) => r.table_name)).toEqual([
        'agent_daily_summary',
        'agent_status_intervals',
        'assignments',
        'consumer_offsets',
        'conversations',
        'dirty_agents',
        'dirty_conversations',
        'event_log',
        'kpi_dirty',
        'kpi_intervals',
        'pgmigrations',
        'queue_today',
        'sla_events',
      ]);
    } finally {
      await db.drop();
    }
  });

  it('apply on an earlier version, keeping its data', async () => {
    const db = await freshDb({ count: 1 });
    try {
      await db.pool.query(`INSERT INTO analytics.kpi_intervals (tenant_id, interval_start, queue, channel, offered,
        answered, abandoned, transfers, time_to_answer_seconds_sum, handled, handle_seconds_sum, resolved,
        resolved_first_contact, sla_met, sla_breached, csat_count, csat_sum)
        VALUES ('t1', date_trunc('hour', now()), 'sales', 'chat', 4, 3, 1, 0, 30, 2, 200, 2, 1, 1, 1, 2, 9)`);
      expect(await migrate({ databaseUrl: db.url, schema: 'analytics', roles: db.roles })).toEqual(
        MIGRATIONS.slice(1),
      );
      const { rows } = await db.pool.query(`SELECT offered, answered, avg_time_to_answer_seconds AS tta,
        first_contact_resolution_rate AS fcr, sla_attainment AS sla, avg_csat AS csat FROM analytics.queue_today`);
      expect(rows).toEqual([{ offered: 4, answered: 3, tta: 10, fcr: 0.5, sla: 0.5, csat: 4.5 }]);
    } finally {
      await db.drop();
    }
  });
});

describe('the analyst role', () => {
  let db: TestDb;

  beforeAll(async () => {
    db = await freshDb();
    await db.pool.query(`INSERT INTO analytics.conversations (tenant_id, conversation_id, status, reopened_count,
      transfers, offers, sla_met, sla_breached) VALUES ('t1', 'c1', 'new', 0, 0, 0, 0, 0)`);
    await db.pool.query('CREATE TABLE public.secrets (v text)');
    await db.pool.query(`INSERT INTO public.secrets VALUES ('s')`);
    await db.pool.query('CREATE SCHEMA other; CREATE TABLE other.t (v text)');
  });
  afterAll(async () => {
    await db.drop();
  });

  it('reads every table and view of analytics', async () => {
    const analyst = db.roles.analyst;
    expect(await asRole(db, analyst, 'SELECT conversation_id FROM analytics.conversations')).toEqual([
      { conversation_id: 'c1' },
    ]);
    await expect(asRole(db, analyst, 'SELECT * FROM analytics.queue_today')).resolves.toEqual([]);
    await expect(asRole(db, analyst, 'SELECT * FROM analytics.agent_daily_summary')).resolves.toEqual([]);
  });

  it('cannot write, create or delete anything', async () => {
    const analyst = db.roles.analyst;
    await expect(asRole(db, analyst, `UPDATE analytics.conversations SET status = 'x'`)).rejects.toThrow(
      /permission denied|read-only transaction/,
    );
    await expect(asRole(db, analyst, 'DELETE FROM analytics.kpi_intervals')).rejects.toThrow(
      /permission denied|read-only transaction/,
    );
    await expect(asRole(db, analyst, 'CREATE TABLE analytics.mine (v int)')).rejects.toThrow(
      /permission denied|read-only transaction/,
    );
    await expect(asRole(db, analyst, 'CREATE TABLE public.mine (v int)')).rejects.toThrow(
      /permission denied|read-only transaction/,
    );
  });

  it('cannot write even outside a read-only transaction', async () => {
    const c = new Client({ connectionString: db.url });
    await c.connect();
    try {
      await c.query(`SET ROLE ${db.roles.analyst}`);
      await c.query('SET default_transaction_read_only = off');
      await expect(
        c.query(`INSERT INTO analytics.sla_events (tenant_id, event_id, conversation_id, kind, target,
        sequence, occurred_at) VALUES ('t', 'e', 'c', 'met', 'resolution', 0, now())`),
      ).rejects.toThrow(/permission denied/);
    } finally {
      await c.end();
    }
  });

  it('cannot read outside analytics', async () => {
    const analyst = db.roles.analyst;
    await expect(asRole(db, analyst, 'SELECT * FROM public.secrets')).rejects.toThrow(/permission denied/);
    await expect(asRole(db, analyst, 'SELECT * FROM other.t')).rejects.toThrow(/permission denied/);
  });

  it('logs in with read-only transactions by default', async () => {
    const u = new URL(db.url);
    u.username = db.roles.analyst;
    u.password = '';
    const c = new Client({ connectionString: u.toString() });
    await c.connect();
    try {
      const { rows } = await c.query('SHOW default_transaction_read_only');
      expect(rows).toEqual([{ default_transaction_read_only: 'on' }]);
    } finally {
      await c.end();
    }
  });
});
