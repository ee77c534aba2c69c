import { randomBytes } from 'node:crypto';
import { Client, Pool } from 'pg';
import { migrate, type Roles } from '../../src/adapters/pg/migrations';

/** DATABASE_URL from the integration global setup (a superuser on a fresh database). */
export function adminUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set: run through jest.int.config.js (testkit global setup)');
  return url;
}

export interface TestDb {
  url: string;
  roles: Roles;
  pool: Pool;
  /** A pool acting as the writer role. */
  drop(): Promise<void>;
}

/** A fresh database and role pair of its own, migrated, so that test files never share state. */
export async function freshDb(opts: { migrate?: boolean; count?: number } = {}): Promise<TestDb> {
  const tag = `anl_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: adminUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${tag}`);
  await admin.end();
  const u = new URL(adminUrl());
  u.pathname = `/${tag}`;
  const url = u.toString();
  const roles = { writer: `${tag}_writer`, analyst: `${tag}_analyst` };
  if (opts.migrate !== false) {
    await migrate({
      databaseUrl: url,
      schema: 'analytics',
      roles,
      ...(opts.count ? { count: opts.count } : {}),
    });
  }
  const pool = new Pool({ connectionString: url, max: 4 });
  return {
    url,
    roles,
    pool,
    async drop() {
      await pool.end();
      const c = new Client({ connectionString: adminUrl() });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${tag} WITH (FORCE)`);
      for (const r of [roles.analyst, roles.writer]) await c.query(`DROP ROLE IF EXISTS ${r}`);
      await c.end();
    },
  };
}
