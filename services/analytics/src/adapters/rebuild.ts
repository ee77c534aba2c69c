import type { SwitchboardKafka } from '@switchboard/kafka';
import { Client } from 'pg';
import type { Logger } from 'pino';
import { AnalyticsError, AnalyticsErrorCode } from '../domain/errors';
import { Projector } from './kafka/projector';
import { ident, SWAP_LOCK_KEY } from './pg/ident';
import { migrate, type Roles } from './pg/migrations';
import { rolePool } from './pg/pool';
import { ProjectionStore, type StoredOffset } from './pg/projection-store';
import { replayLog } from './replay';

export interface RebuildOptions {
  databaseUrl: string;
  roles: Roles;
  kafka: SwitchboardKafka;
  logger: Logger;
  /** The schema readers use; swapped for the rebuilt one at the end. */
  liveSchema: string;
  /** The live projector's consumer group: its stored offsets are where the rebuild must reach. */
  groupId: string;
  topics: string[];
  /** Distinguishes this rebuild's schema and consumer group (the caller passes the time). */
  stamp: string;
  /** Swap the rebuilt schema in (default true); false leaves it next to the live one. */
  swap?: boolean;
  /** Keep the retired schema instead of dropping it. */
  keepRetired?: boolean;
  /** No batch for this long (and the live offsets reached) means caught up (default 1000 ms). */
  idleMs?: number;
  onProgress?(p: { done: number; total: number | null; elapsedMs: number; phase: string }): void;
  now?: () => number;
}

export interface RebuildResult {
  /** Where the rebuilt read models are now. */
  schema: string;
  retiredSchema: string | null;
  events: number;
  replayMs: number;
  recomputeMs: number;
  swapMs: number;
}

interface Tail {
  until(reached: () => Promise<boolean>): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Replays the whole log into a fresh schema (facts only, then one set-based recompute of every read
 * model), tails it until it has reached the live projector, then swaps the schemas by renaming them in
 * one transaction. Readers are never blocked: a query keeps the tables it started with, the next one
 * sees the new schema. Live batches wait on the swap's advisory lock, then continue in the new schema
 * from its offsets (copied to the live group), skipping what it already holds.
 */
export async function rebuild(opts: RebuildOptions): Promise<RebuildResult> {
  const now = opts.now ?? Date.now;
  const schema = `${opts.liveSchema}_rebuild_${opts.stamp}`;
  const group = `${opts.groupId}-rebuild-${opts.stamp}`;
  await migrate({ databaseUrl: opts.databaseUrl, schema, roles: opts.roles });
  const pool = rolePool(opts.databaseUrl, opts.roles.writer, {
    asyncCommit: true,
    onError: (err) => opts.logger.warn({ err }, 'idle PostgreSQL session failed; it will be replaced'),
  });
  const store = new ProjectionStore(pool, schema, false);
  const live = new ProjectionStore(pool, opts.liveSchema);
  const started = now();
  let done = 0;
  let lastBatchAt = now();
  try {
    const target = await liveOffsets(live, opts.groupId);
    const total = target.length > 0 ? target.reduce((n, o) => n + Number(o.nextOffset), 0) : null;

    const tail = async (): Promise<Tail> => {
      const projector = new Projector({
        kafka: opts.kafka,
        store,
        logger: opts.logger,
        groupId: group,
        topics: opts.topics,
        onCommitted: (b) => {
          done += b.events;
          lastBatchAt = now();
        },
      });
      await projector.start();
      const phase = 'tail';
      return {
        async until(reached) {
          for (;;) {
            await sleep(100);
            opts.onProgress?.({ done, total, elapsedMs: now() - started, phase });
            if (now() - lastBatchAt >= (opts.idleMs ?? 1000) && (await reached())) return;
          }
        },
        stop: () => projector.stop(),
      };
    };

    // Replay: every topic read to its end (at least the live offsets: they were read before) in big
    // batches of facts; the rows are computed once, at the end.
    const progress = setInterval(
      () => opts.onProgress?.({ done, total, elapsedMs: now() - started, phase: 'replay' }),
      100,
    );
    try {
      await replayLog({
        kafka: opts.kafka,
        store,
        groupId: group,
        topics: opts.topics,
        onWritten: (n) => {
          done += n;
        },
      });
    } finally {
      clearInterval(progress);
    }
    const replayMs = now() - started;
    const recomputeStarted = now();
    opts.onProgress?.({ done, total, elapsedMs: now() - started, phase: 'recompute' });
    await store.recomputeAll();
    const recomputeMs = now() - recomputeStarted;
    if (opts.swap === false) {
      return { schema, retiredSchema: null, events: done, replayMs, recomputeMs, swapMs: 0 };
    }
    const swapStarted = now();
    const follower = await tail();
    let retired: string | null;
    try {
      // Catch up without the lock first, so that live batches wait only for the last few of ours.
      await follower.until(async () =>
        covers(await store.storedOffsets(group), await liveOffsets(live, opts.groupId)),
      );
      await store.refreshAll();
      retired = await swapIn(opts, schema, group, store, live, follower);
    } finally {
      await follower.stop();
    }
    if (retired && !opts.keepRetired) await dropSchema(opts.databaseUrl, retired);
    return {
      schema: opts.liveSchema,
      retiredSchema: retired,
      events: done,
      replayMs,
      recomputeMs,
      swapMs: now() - swapStarted,
    };
  } finally {
    await pool.end();
  }
}

async function swapIn(
  o: RebuildOptions,
  schema: string,
  group: string,
  store: ProjectionStore,
  live: ProjectionStore,
  follower: Tail,
): Promise<string | null> {
  const admin = new Client({ connectionString: o.databaseUrl });
  await admin.connect();
  try {
    await admin.query('BEGIN');
    await admin.query('SELECT pg_advisory_xact_lock($1)', [SWAP_LOCK_KEY]);
    // Live batches are frozen now; reach exactly where they stopped.
    const frozen = await liveOffsets(live, o.groupId);
    await follower.until(async () => covers(await store.storedOffsets(group), frozen));
    await store.refreshAll();
    const s = ident(schema);
    await admin.query(
      `INSERT INTO ${s}.consumer_offsets (group_id, topic, partition, next_offset)
       SELECT $1, topic, partition, next_offset FROM ${s}.consumer_offsets WHERE group_id = $2
       ON CONFLICT (group_id, topic, partition) DO UPDATE SET next_offset = excluded.next_offset`,
      [o.groupId, group],
    );
    await admin.query(`DELETE FROM ${s}.consumer_offsets WHERE group_id = $1`, [group]);
    const exists = await admin.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [o.liveSchema]);
    const retired = exists.rowCount ? `${o.liveSchema}_retired_${o.stamp}` : null;
    if (retired) {
      await admin.query(`ALTER SCHEMA ${ident(o.liveSchema)} RENAME TO ${ident(retired)}`);
      await admin.query(`REVOKE ALL ON SCHEMA ${ident(retired)} FROM ${ident(o.roles.analyst)}`);
    }
    await admin.query(`ALTER SCHEMA ${s} RENAME TO ${ident(o.liveSchema)}`);
    await admin.query('COMMIT');
    o.logger.info({ schema: o.liveSchema, retired }, 'rebuilt read models swapped in');
    return retired;
  } catch (err) {
    await admin.query('ROLLBACK').catch(() => undefined);
    throw new AnalyticsError(AnalyticsErrorCode.rebuild, `swap failed: ${(err as Error).message}`);
  } finally {
    await admin.end();
  }
}

async function dropSchema(databaseUrl: string, schema: string): Promise<void> {
  const admin = new Client({ connectionString: databaseUrl });
  await admin.connect();
  try {
    await admin.query(`DROP SCHEMA ${ident(schema)} CASCADE`);
  } finally {
    await admin.end();
  }
}

async function liveOffsets(live: ProjectionStore, groupId: string): Promise<StoredOffset[]> {
  try {
    return await live.storedOffsets(groupId);
  } catch (err) {
    // No live schema yet (42P01 undefined_table, 3F000 invalid_schema_name): nothing to reach.
    const code = (err as { code?: string }).code;
    if (code === '42P01' || code === '3F000') return [];
    throw err;
  }
}

/** True when the rebuild has consumed at least as far as the live projector on every partition. */
export function covers(rebuilt: readonly StoredOffset[], target: readonly StoredOffset[]): boolean {
  return target.every((t) => {
    const r = rebuilt.find((x) => x.topic === t.topic && x.partition === t.partition);
    return r !== undefined && BigInt(r.nextOffset) >= BigInt(t.nextOffset);
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
