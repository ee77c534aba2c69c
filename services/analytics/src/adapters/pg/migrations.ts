import path from 'node:path';
import { runner } from 'node-pg-migrate';
import { Client } from 'pg';
import { ident } from './ident';

export interface Roles {
  /** Owns the schema and writes the projection. */
  writer: string;
  /** Reads schema `analytics` and nothing else. */
  analyst: string;
}

export interface MigrateOptions {
  databaseUrl: string;
  schema: string;
  roles: Roles;
  /** Apply at most this many pending migrations (tests of upgrades); all by default. */
  count?: number;
  log?: (msg: string) => void;
}

/** The migration files, shipped with the package. */
export const MIGRATIONS_DIR = path.resolve(__dirname, '../../../migrations');

/**
 * Creates the roles (idempotently: roles are cluster-wide and parallel runs may race), the schema
 * owned by the writer role, applies pending migrations as the writer, and grants the analyst
 * read-only access to that schema.
 */
export async function migrate(opts: MigrateOptions): Promise<string[]> {
  const client = new Client({ connectionString: opts.databaseUrl });
  await client.connect();
  try {
    await ensureRoles(client, opts.roles);
    const { writer } = opts.roles;
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${ident(opts.schema)} AUTHORIZATION ${ident(writer)}`);
    await client.query(`SET ROLE ${ident(writer)}`);
    const applied = await runner({
      dbClient: client,
      dir: MIGRATIONS_DIR,
      direction: 'up',
      migrationsTable: 'pgmigrations',
      schema: opts.schema,
      checkOrder: true,
      count: opts.count ?? Number.POSITIVE_INFINITY,
      advisoryLockMode: 'wait',
      log: opts.log ?? (() => undefined),
    });
    await client.query('RESET ROLE');
    await grantAnalyst(client, opts.schema, opts.roles);
    return applied.map((m) => m.name);
  } finally {
    await client.end();
  }
}

export async function ensureRoles(client: Client, roles: Roles): Promise<void> {
  for (const role of [roles.writer, roles.analyst]) {
    await client.query(`DO $$ BEGIN
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = ${literal(role)}) THEN
        CREATE ROLE ${ident(role)} LOGIN;
      END IF;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
    END $$`);
  }
  // The service's sessions act as writer or analyst (SET ROLE): the connecting user must be a member
  // of both (a superuser already can).
  await client.query(`DO $$ BEGIN
      IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        EXECUTE format('GRANT %I, %I TO %I', ${literal(roles.writer)}, ${literal(roles.analyst)}, current_user);
      END IF;
    END $$`);
  await client.query(`ALTER ROLE ${ident(roles.analyst)} SET default_transaction_read_only = on`);
  await client.query(`DO $$ BEGIN
      EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), ${literal(roles.analyst)});
    END $$`);
}

/** Read access to one schema: what is there now, and what the writer creates later. */
export async function grantAnalyst(client: Client, schema: string, roles: Roles): Promise<void> {
  const s = ident(schema);
  const a = ident(roles.analyst);
  await client.query(`GRANT USAGE ON SCHEMA ${s} TO ${a}`);
  await client.query(`GRANT SELECT ON ALL TABLES IN SCHEMA ${s} TO ${a}`);
  await client.query(
    `ALTER DEFAULT PRIVILEGES FOR ROLE ${ident(roles.writer)} IN SCHEMA ${s} GRANT SELECT ON TABLES TO ${a}`,
  );
}

function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
