import type { Pool } from 'pg';
import { ident } from './ident';

/** The tables whose content must not depend on how (or how often) the log was consumed. */
export const READ_MODEL_TABLES = [
  'event_log',
  'conversations',
  'assignments',
  'agent_status_intervals',
  'sla_events',
  'kpi_intervals',
] as const;

/** One md5 per read-model table over its rows in a canonical order: equal checksums, equal tables. */
export async function readModelChecksums(pool: Pool, schema: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const table of READ_MODEL_TABLES) {
    const { rows } = await pool.query<{ n: string; md5: string | null }>(
      `SELECT count(*) AS n, md5(string_agg(t::text, E'\\n' ORDER BY t::text)) AS md5
       FROM ${ident(schema)}.${ident(table)} t`,
    );
    out[table] = `${rows[0]!.n}:${rows[0]!.md5 ?? '-'}`;
  }
  return out;
}
