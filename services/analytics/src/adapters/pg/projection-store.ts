import type { Pool, PoolClient } from 'pg';
import { dedupeFacts } from '../../domain/batch';
import type { Fact } from '../../domain/fact';
import { ident, REFRESH_LOCK_KEY, SWAP_LOCK_KEY } from './ident';
import { deleteKpiIntervalsSql, insertKpiIntervalsSql, takeDirtySql } from './kpi-sql';
import {
  agentAnchorsSql,
  allAgentAnchors,
  allConversationKeys,
  deleteAgentIntervalsSql,
  insertAgentIntervalsSql,
  insertFactsSql,
  insertSlaEventsSql,
  markKpiDirtyCte,
  recomputeAssignmentsSql,
  recomputeConversationsSql,
  takeDirtyAgentsSql,
  takeDirtyConversationsSql,
  UNNEST_AGENT_ANCHORS,
  UNNEST_CONVERSATION_KEYS,
} from './projection-sql';

/** One consumed message: its offset, and its fact (null when it is not a read-model input or invalid). */
export interface OffsetFact {
  offset: string;
  fact: Fact | null;
}

export interface PartitionBatch {
  groupId: string;
  topic: string;
  partition: number;
  messages: readonly OffsetFact[];
  /** The next offset this consumer itself committed last; a lower stored one means commits were lost. */
  expectedNext?: string;
}

/**
 * The stored offset is behind what this consumer committed: PostgreSQL lost acknowledged commits
 * (crash with asynchronous commit, failover). The consumer must seek back to `stored` and re-read.
 */
export class OffsetRegressionError extends Error {
  constructor(readonly stored: string) {
    super(`stored offset ${stored} is behind the last committed one`);
    this.name = 'OffsetRegressionError';
  }
}

export interface BatchResult {
  /** Facts written (after skipping offsets already stored). */
  applied: number;
  /** Messages skipped because their offset was already committed in PostgreSQL. */
  skipped: number;
  /** The partition's next offset as stored after the batch. */
  nextOffset: string;
}

export interface StoredOffset {
  topic: string;
  partition: number;
  nextOffset: string;
}

export interface ApplyOptions {
  /** Store facts without marking rows for the refresher: the rebuild recomputes everything at the end. */
  deferRecompute?: boolean;
}

const literal = (v: string): string => `'${v.replace(/'/g, "''")}'`;
const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/**
 * The PostgreSQL side of the projection for one schema. Each batch's facts, the keys they make dirty
 * and its partition's next offset commit in one transaction, which is what makes the projection
 * exactly once. The refresher then recomputes the dirty read-model rows from the facts in set-based
 * statements, serialized by an advisory lock, so concurrent batches can never overwrite each other's
 * effects and many batches share one recompute.
 */
export class ProjectionStore {
  readonly s: string;
  private readonly sql: ReturnType<typeof statements>;

  /**
   * @param swapLock hold the swap lock (shared) in every batch, so that a rebuild's schema swap never
   *   interleaves with a batch; false only for the rebuild's own store, which must keep going while
   *   the swap holds it.
   */
  constructor(
    private readonly pool: Pool,
    readonly schema: string,
    private readonly swapLock = true,
  ) {
    this.s = ident(schema);
    this.sql = statements(this.s);
  }

  async applyBatch(batch: PartitionBatch, opts: ApplyOptions = {}): Promise<BatchResult> {
    // Few round trips: BEGIN with the swap lock, lock-and-read the offset, the writes, save-and-commit.
    const c = await this.pool.connect();
    try {
      await c.query(this.swapLock ? `BEGIN; SELECT pg_advisory_xact_lock_shared(${SWAP_LOCK_KEY})` : 'BEGIN');
      const { rows } = await c.query<{ next_offset: string }>(this.sql.lockOffset, [
        batch.groupId,
        batch.topic,
        batch.partition,
      ]);
      const stored = BigInt(rows[0]!.next_offset);
      if (batch.expectedNext !== undefined && stored < BigInt(batch.expectedNext)) {
        throw new OffsetRegressionError(stored.toString());
      }
      // Offsets below the stored one were committed by an earlier run (or a zombie owner): skip them.
      const fresh = batch.messages.filter((m) => BigInt(m.offset) >= stored);
      if (fresh.length === 0) {
        await c.query('COMMIT');
        return { applied: 0, skipped: batch.messages.length, nextOffset: stored.toString() };
      }
      const facts = dedupeFacts(fresh.flatMap((m) => (m.fact ? [m.fact] : [])));
      if (facts.length > 0) {
        await c.query(
          opts.deferRecompute ? this.sql.insertFactsOnly : this.sql.insertFacts,
          factColumns(facts),
        );
      }
      const next = BigInt(fresh[fresh.length - 1]!.offset) + 1n;
      await c.query(
        `UPDATE ${this.s}.consumer_offsets SET next_offset = ${next}
         WHERE group_id = ${literal(batch.groupId)} AND topic = ${literal(batch.topic)}
           AND partition = ${Math.trunc(batch.partition)}; COMMIT`,
      );
      return {
        applied: facts.length,
        skipped: batch.messages.length - fresh.length,
        nextOffset: next.toString(),
      };
    } catch (err) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      c.release();
    }
  }

  /** The offsets this consumer group committed, for seeking on partition assignment. */
  async storedOffsets(groupId: string): Promise<StoredOffset[]> {
    const { rows } = await this.pool.query<{ topic: string; partition: number; next_offset: string }>(
      `SELECT topic, partition, next_offset FROM ${this.s}.consumer_offsets WHERE group_id = $1
       ORDER BY topic, partition`,
      [groupId],
    );
    return rows.map((r) => ({ topic: r.topic, partition: r.partition, nextOffset: r.next_offset }));
  }

  /**
   * Recomputes the rows of dirty conversations and agents; returns how many keys were refreshed, or
   * -1 when another refresher holds the lock.
   */
  async refreshReadModels(chunk = 5000): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.tx(async (c) => {
        const { rows: lock } = await c.query<{ ok: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS ok', [
          REFRESH_LOCK_KEY,
        ]);
        if (!lock[0]!.ok) return -1;
        const { rows: convs } = await c.query<{ tenant_id: string; conversation_id: string }>(
          this.sql.takeDirtyConversations,
          [chunk],
        );
        if (convs.length > 0) {
          const keys = [convs.map((r) => r.tenant_id), convs.map((r) => r.conversation_id)];
          // Both mark KPI intervals dirty: the ones the conversations counted in before, and after.
          await c.query(this.sql.recomputeAssignments, keys);
          await c.query(this.sql.recomputeConversations, keys);
        }
        const { rows: agents } = await c.query<{ tenant_id: string; agent_id: string; from_ts: string }>(
          this.sql.takeDirtyAgents,
          [chunk],
        );
        if (agents.length > 0) await this.recomputeAgents(c, agents);
        return Math.max(convs.length, agents.length);
      });
      if (n < 0) return total === 0 ? -1 : total;
      total += n;
      if (n < chunk) return total;
    }
  }

  /** Everything the refresher does: read-model rows, then KPIs. */
  async refreshAll(): Promise<void> {
    while ((await this.refreshReadModels()) < 0) await new Promise((r) => setTimeout(r, 50));
    await this.refreshKpis();
  }

  /** Recomputes the KPIs of every dirty interval; returns how many intervals were refreshed. */
  async refreshKpis(chunk = 500): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.tx(async (c) => {
        const { rows } = await c.query<{ tenant_id: string; interval_start: Date }>(this.sql.takeDirty, [
          chunk,
        ]);
        if (rows.length === 0) return 0;
        const args = [rows.map((r) => r.tenant_id), rows.map((r) => r.interval_start.toISOString())];
        await c.query(this.sql.deleteKpis, args);
        await c.query(this.sql.insertKpis, args);
        return rows.length;
      });
      total += n;
      if (n < chunk) return total;
    }
  }

  /** Recomputes every read model from the event log (end of a rebuild, or after deferred batches). */
  async recomputeAll(): Promise<void> {
    const s = this.s;
    await this.tx(async (c) => {
      await c.query(`TRUNCATE ${s}.assignments, ${s}.conversations, ${s}.agent_status_intervals,
        ${s}.kpi_intervals, ${s}.dirty_conversations, ${s}.dirty_agents`);
      await c.query(insertSlaEventsSql(s, `${s}.event_log`));
      await c.query(recomputeAssignmentsSql(s, allConversationKeys(s)));
      await c.query(recomputeConversationsSql(s, allConversationKeys(s)));
      await c.query(insertAgentIntervalsSql(s, allAgentAnchors(s)));
    });
    await this.refreshKpis(100_000);
  }

  private async recomputeAgents(
    c: PoolClient,
    agents: readonly { tenant_id: string; agent_id: string; from_ts: string }[],
  ): Promise<void> {
    const { rows } = await c.query<{ tenant_id: string; agent_id: string; anchor: string }>(
      this.sql.agentAnchors,
      [agents.map((a) => a.tenant_id), agents.map((a) => a.agent_id), agents.map((a) => a.from_ts)],
    );
    // Anchors travel as PostgreSQL's own text (exact, and '-infinity' for an agent's first interval).
    const anchors = [rows.map((r) => r.tenant_id), rows.map((r) => r.agent_id), rows.map((r) => r.anchor)];
    await c.query(this.sql.deleteAgentIntervals, anchors);
    await c.query(this.sql.insertAgentIntervals, anchors);
  }

  private async tx<T>(fn: (c: PoolClient) => Promise<T>): Promise<T> {
    const c = await this.pool.connect();
    try {
      await c.query('BEGIN');
      const out = await fn(c);
      await c.query('COMMIT');
      return out;
    } catch (err) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      c.release();
    }
  }
}

function statements(s: string) {
  return {
    // Creates the row at 0 or locks the existing one, returning the stored offset either way.
    lockOffset: `INSERT INTO ${s}.consumer_offsets AS o (group_id, topic, partition, next_offset)
      VALUES ($1, $2, $3, 0)
      ON CONFLICT (group_id, topic, partition) DO UPDATE SET next_offset = o.next_offset
      RETURNING o.next_offset`,
    insertFacts: insertFactsSql(s, true),
    insertFactsOnly: insertFactsSql(s, false),
    takeDirtyConversations: takeDirtyConversationsSql(s),
    takeDirtyAgents: takeDirtyAgentsSql(s),
    recomputeAssignments: recomputeAssignmentsSql(
      s,
      UNNEST_CONVERSATION_KEYS,
      markKpiDirtyCte(s, UNNEST_CONVERSATION_KEYS),
    ),
    recomputeConversations: recomputeConversationsSql(s, UNNEST_CONVERSATION_KEYS),
    agentAnchors: agentAnchorsSql(s),
    deleteAgentIntervals: deleteAgentIntervalsSql(s),
    insertAgentIntervals: insertAgentIntervalsSql(s, UNNEST_AGENT_ANCHORS),
    takeDirty: takeDirtySql(s),
    deleteKpis: deleteKpiIntervalsSql(s),
    insertKpis: insertKpiIntervalsSql(s),
  };
}

function factColumns(facts: readonly Fact[]): unknown[] {
  return [
    facts.map((f) => f.tenantId),
    facts.map((f) => f.eventId),
    facts.map((f) => f.kind),
    facts.map((f) => f.conversationId),
    facts.map((f) => f.agentId),
    facts.map((f) => iso(f.occurredAtMs)),
    facts.map((f) => f.queue),
    facts.map((f) => f.channel),
    facts.map((f) => f.priority),
    facts.map((f) => f.offerId),
    facts.map((f) => f.customerId),
    facts.map((f) => f.customerTier),
    facts.map((f) => f.presence),
    facts.map((f) => f.slaTarget),
    facts.map((f) => f.slaSequence),
    facts.map((f) => f.slaPolicyId),
    facts.map((f) => f.value),
    facts.map((f) => iso(f.atMs)),
    facts.map((f) => f.reason),
    facts.map((f) => f.ruleId),
  ];
}
