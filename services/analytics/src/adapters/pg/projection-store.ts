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
  /** Set when the stored offset was behind `expectedNext` (nothing written): seek back to it. */
  regressedTo?: string;
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
    const [r] = await this.applyBatches([batch], opts);
    if (r!.regressedTo !== undefined) throw new OffsetRegressionError(r!.regressedTo);
    return r!;
  }

  /**
   * Group commit: the batches of any number of partitions (of one consumer group) in ONE transaction —
   * their facts, dirty marks and every partition's next offset — so a failure writes nothing of any of
   * them. A partition whose stored offset went back behind `expectedNext` writes nothing and comes
   * back with `regressedTo`; the others are applied. Results are in the order of `batches`.
   */
  async applyBatches(batches: readonly PartitionBatch[], opts: ApplyOptions = {}): Promise<BatchResult[]> {
    if (batches.length === 0) return [];
    const groupId = batches[0]!.groupId;
    if (batches.some((b) => b.groupId !== groupId))
      throw new Error('applyBatches: one consumer group per call');
    // Few round trips: BEGIN with the swap lock, lock-and-read the offsets, the writes, save-and-commit.
    const c = await this.pool.connect();
    try {
      await c.query(this.swapLock ? `BEGIN; SELECT pg_advisory_xact_lock_shared(${SWAP_LOCK_KEY})` : 'BEGIN');
      // Rows are locked in (topic, partition) order, so two writers of one group never deadlock.
      const parts = [...new Map(batches.map((b) => [`${b.topic}\u0000${b.partition}`, b])).values()].sort(
        (a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition),
      );
      const { rows } = await c.query<{ topic: string; partition: number; next_offset: string }>(
        this.sql.lockOffsets,
        [groupId, parts.map((p) => p.topic), parts.map((p) => p.partition)],
      );
      const stored = new Map(rows.map((r) => [`${r.topic}\u0000${r.partition}`, BigInt(r.next_offset)]));
      // Per partition, where it stands as the batches (in their order) are applied.
      const next = new Map<string, bigint>();
      const results: BatchResult[] = [];
      const fresh: Fact[] = [];
      for (const b of batches) {
        const key = `${b.topic}\u0000${b.partition}`;
        const at = next.get(key) ?? stored.get(key)!;
        if (b.expectedNext !== undefined && at < BigInt(b.expectedNext)) {
          results.push({ applied: 0, skipped: 0, nextOffset: at.toString(), regressedTo: at.toString() });
          continue;
        }
        // Offsets below the stored one were committed by an earlier run (or a zombie owner): skip them.
        const msgs = b.messages.filter((m) => BigInt(m.offset) >= at);
        let applied = 0;
        for (const m of msgs) {
          if (m.fact) {
            fresh.push(m.fact);
            applied += 1;
          }
        }
        const to = msgs.length > 0 ? BigInt(msgs[msgs.length - 1]!.offset) + 1n : at;
        next.set(key, to);
        results.push({ applied, skipped: b.messages.length - msgs.length, nextOffset: to.toString() });
      }
      const facts = dedupeFacts(fresh);
      if (facts.length > 0) {
        await c.query(
          opts.deferRecompute ? this.sql.insertFactsOnly : this.sql.insertFacts,
          factColumns(facts),
        );
      }
      const moved = [...next].filter(([key, to]) => to !== stored.get(key));
      const update =
        moved.length === 0
          ? ''
          : `UPDATE ${this.s}.consumer_offsets o SET next_offset = v.next_offset
         FROM (VALUES ${moved
           .map(([key, to]) => {
             const [topic, partition] = key.split('\u0000');
             return `(${literal(topic!)}, ${Math.trunc(Number(partition))}, ${to})`;
           })
           .join(', ')}) AS v(topic, partition, next_offset)
         WHERE o.group_id = ${literal(groupId)} AND o.topic = v.topic AND o.partition = v.partition; `;
      await c.query(`${update}COMMIT`);
      return results;
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
    lockOffsets: `INSERT INTO ${s}.consumer_offsets AS o (group_id, topic, partition, next_offset)
      SELECT $1, t.topic, t.partition, 0 FROM unnest($2::text[], $3::int[]) WITH ORDINALITY AS t(topic, partition, n)
      ORDER BY t.n
      ON CONFLICT (group_id, topic, partition) DO UPDATE SET next_offset = o.next_offset
      RETURNING o.topic, o.partition, o.next_offset`,
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
