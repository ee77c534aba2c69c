import { Pool } from 'pg';
import { AnalyticsError, AnalyticsErrorCode } from '../../domain/errors';

const ROLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface RolePoolOptions {
  max?: number;
  /**
   * `synchronous_commit = off` for the projection's sessions: a batch commits without waiting for its
   * WAL flush. Safe for exactly-once because a batch's rows and its offsets are one transaction: a
   * PostgreSQL crash can only lose both together, and the projector then re-reads those events from
   * Kafka. The log, not the database, is the source of truth.
   */
  asyncCommit?: boolean;
  /**
   * An idle session failed (server restart, terminated backend). The pool drops that client and
   * opens a new one on demand; without a listener the error would end the process.
   */
  onError?: (err: Error) => void;
}

/**
 * A pool whose sessions act as `role` (the writer for the projection, the analyst for KPI reads),
 * whichever user the URL logs in as: the role is set in the startup packet, before any query.
 */
export function rolePool(databaseUrl: string, role: string, opts: RolePoolOptions = {}): Pool {
  if (!ROLE_NAME.test(role)) {
    throw new AnalyticsError(
      AnalyticsErrorCode.config,
      `role name ${JSON.stringify(role)} is not a plain identifier`,
    );
  }
  const options = [`-c role=${role}`, ...(opts.asyncCommit ? ['-c synchronous_commit=off'] : [])].join(' ');
  const pool = new Pool({ connectionString: databaseUrl, max: opts.max ?? 4, options });
  pool.on('error', opts.onError ?? (() => undefined));
  return pool;
}
