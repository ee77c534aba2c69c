import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { InfraUnavailableError } from '../errors';
import { freePort, uniqueSuffix, waitFor } from '../net';

const run = promisify(execFile);

/** Servers tried, in order, when DATABASE_URL is not set: the machine's own PostgreSQL service. */
const LOCAL_CANDIDATES = [
  'postgres://postgres@127.0.0.1:5432/postgres',
  'postgres://postgres@localhost:5432/postgres',
];

export async function canQuery(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/** The first reachable PostgreSQL among the machine's usual local servers, or undefined. */
export async function findRunningPostgres(): Promise<string | undefined> {
  for (const url of LOCAL_CANDIDATES) if (await canQuery(url)) return url;
  return undefined;
}

export interface FreshDatabase {
  url: string;
  drop(): Promise<void>;
}

/**
 * Creates a new, empty database on the server of `serverUrl` so that test runs never see each other's
 * data. When the role may not create databases, the given database is used as it is.
 */
export async function freshDatabase(serverUrl: string, prefix = 'sb_test'): Promise<FreshDatabase> {
  const name = `${prefix}_${uniqueSuffix()}`.toLowerCase();
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`create database "${name}"`);
  } catch (err) {
    await admin.end();
    if ((err as { code?: string }).code === '42501') return { url: serverUrl, drop: async () => {} };
    throw err;
  }
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      try {
        await client.query(`drop database if exists "${name}" with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}

export interface LocalPostgres {
  url: string;
  stop(): Promise<void>;
}

/** The newest Debian PostgreSQL binaries folder (/usr/lib/postgresql/<v>/bin), if any. */
function debianPgBin(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!fs.existsSync(root)) return undefined;
  const versions = fs
    .readdirSync(root)
    .filter((v) => fs.existsSync(path.join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] && path.join(root, versions[0], 'bin');
}

/**
 * Starts a throw-away PostgreSQL server from the machine's binaries in a temp folder (trust auth,
 * 127.0.0.1 only). As root, the server runs as the `postgres` user, since initdb refuses root.
 */
export async function startLocalPostgres(log: (line: string) => void = () => {}): Promise<LocalPostgres> {
  const bin = debianPgBin();
  if (!bin) {
    throw new InfraUnavailableError(
      'TESTKIT_ERR_NO_POSTGRES',
      'No PostgreSQL reachable and no PostgreSQL binaries under /usr/lib/postgresql. Install them ' +
        '(apt-get install -y postgresql) or set DATABASE_URL to a server where the role may create databases.',
    );
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-pg-'));
  const dataDir = path.join(dir, 'data');
  const port = await freePort();
  const asRoot = process.getuid?.() === 0;
  const wrap = (cmd: string, args: string[]): [string, string[]] =>
    asRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
  if (asRoot) await run('chown', ['-R', 'postgres', dir]);
  log(`starting PostgreSQL from ${bin} on port ${port}`);
  await run(
    ...wrap(path.join(bin, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8']),
  );
  await run(
    ...wrap(path.join(bin, 'pg_ctl'), [
      '-D',
      dataDir,
      '-l',
      path.join(dir, 'server.log'),
      '-o',
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`,
      '-w',
      'start',
    ]),
  );
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  await waitFor(`PostgreSQL on ${port}`, () => canQuery(url), 30_000);
  return {
    url,
    async stop() {
      await run(...wrap(path.join(bin, 'pg_ctl'), ['-D', dataDir, '-m', 'fast', 'stop'])).catch(() => {});
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
