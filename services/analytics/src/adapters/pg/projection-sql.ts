/**
 * The set-based statements of the projection. Every read-model row is recomputed from `event_log`
 * (the facts) for the keys a batch touched, so a row depends only on the set of events, never on
 * their arrival order. `keys` is a query yielding (tenant_id, conversation_id) rows.
 */
export const UNNEST_CONVERSATION_KEYS =
  'SELECT DISTINCT * FROM unnest($1::text[], $2::text[]) AS k(tenant_id, conversation_id)';

export function allConversationKeys(s: string): string {
  return `SELECT DISTINCT tenant_id, conversation_id FROM ${s}.event_log WHERE conversation_id IS NOT NULL`;
}

/**
 * One statement per batch: the facts (a repeated event id is skipped), the SLA events among the new
 * facts, and, unless `markDirty` is false (rebuild replay), the conversations and agents whose rows
 * the refresher must recompute.
 */
export function insertFactsSql(s: string, markDirty: boolean): string {
  const dirty = markDirty
    ? `, dc AS (
    INSERT INTO ${s}.dirty_conversations (tenant_id, conversation_id)
    SELECT DISTINCT tenant_id, conversation_id FROM facts WHERE conversation_id IS NOT NULL
    ON CONFLICT DO NOTHING
  ), da AS (
    INSERT INTO ${s}.dirty_agents AS d (tenant_id, agent_id, from_ts)
    SELECT tenant_id, agent_id, min(occurred_at) FROM facts
    WHERE kind = 'agent_state_changed' AND agent_id IS NOT NULL GROUP BY tenant_id, agent_id
    ON CONFLICT (tenant_id, agent_id) DO UPDATE SET from_ts = least(d.from_ts, excluded.from_ts)
  )`
    : '';
  return `WITH facts AS (
    INSERT INTO ${s}.event_log (tenant_id, event_id, kind, conversation_id, agent_id, occurred_at, queue,
      channel, priority, offer_id, customer_id, customer_tier, presence, sla_target, sla_sequence, sla_policy_id,
      value, at, reason, rule_id)
    SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::text[],
      $8::text[], $9::int[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::int[], $16::text[],
      $17::bigint[], $18::timestamptz[], $19::text[], $20::text[])
    ON CONFLICT (tenant_id, event_id) DO NOTHING
    RETURNING *
  )${dirty}
  ${insertSlaEventsSql(s, 'facts')}`;
}

/** sla_events from the facts of `source` (the new facts of a batch, or the whole event log). */
export function insertSlaEventsSql(s: string, source: string): string {
  return `INSERT INTO ${s}.sla_events (tenant_id, event_id, conversation_id, kind, target, sequence, policy_id,
    occurred_at, threshold_percent, elapsed_seconds, due_at, breached_at)
  SELECT tenant_id, event_id, conversation_id,
    CASE kind WHEN 'sla_warning_raised' THEN 'warning' WHEN 'sla_breached' THEN 'breached' ELSE 'met' END,
    sla_target, sla_sequence, sla_policy_id, occurred_at,
    CASE WHEN kind = 'sla_warning_raised' THEN value END,
    CASE WHEN kind = 'sla_met' THEN value END,
    CASE WHEN kind = 'sla_warning_raised' THEN at END,
    CASE WHEN kind = 'sla_breached' THEN at END
  FROM ${source}
  WHERE kind IN ('sla_warning_raised', 'sla_breached', 'sla_met')
  ON CONFLICT (tenant_id, event_id) DO NOTHING`;
}

/** Takes up to $1 dirty conversations (the refresher holds the refresh lock). */
export function takeDirtyConversationsSql(s: string): string {
  return `DELETE FROM ${s}.dirty_conversations d USING (
    SELECT tenant_id, conversation_id FROM ${s}.dirty_conversations LIMIT $1 FOR UPDATE SKIP LOCKED
  ) x WHERE d.tenant_id = x.tenant_id AND d.conversation_id = x.conversation_id
  RETURNING d.tenant_id, d.conversation_id`;
}

export function takeDirtyAgentsSql(s: string): string {
  return `DELETE FROM ${s}.dirty_agents d USING (
    SELECT tenant_id, agent_id FROM ${s}.dirty_agents LIMIT $1 FOR UPDATE SKIP LOCKED
  ) x WHERE d.tenant_id = x.tenant_id AND d.agent_id = x.agent_id
  RETURNING d.tenant_id, d.agent_id, d.from_ts::text AS from_ts`;
}

/**
 * Marks the 15-minute intervals the keyed conversations count in before this statement as needing a
 * KPI refresh (a CTE: data-modifying CTEs always run).
 */
export function markKpiDirtyCte(s: string, keys: string): string {
  return `dirty_before AS (INSERT INTO ${s}.kpi_dirty (tenant_id, interval_start)
  SELECT DISTINCT c.tenant_id, date_bin('15 minutes', c.queued_at, TIMESTAMPTZ '1970-01-01Z')
  FROM (${keys}) k JOIN ${s}.conversations c USING (tenant_id, conversation_id)
  WHERE c.queued_at IS NOT NULL
  ON CONFLICT DO NOTHING)`;
}

const LATEST = 'ORDER BY occurred_at DESC, event_id DESC';
const EARLIEST = 'ORDER BY occurred_at, event_id';

/** `before`: CTEs to run in the same statement (the old KPI intervals of the keyed conversations). */
export function recomputeAssignmentsSql(s: string, keys: string, before?: string): string {
  const offered = `(kind = 'conversation_offered') DESC, occurred_at, event_id`;
  return `WITH ${before ? `${before},` : ''} f AS (
    SELECT e.* FROM (${keys}) k JOIN ${s}.event_log e USING (tenant_id, conversation_id)
  ), o AS (
    SELECT tenant_id, offer_id,
      min(conversation_id) AS conversation_id,
      (array_agg(agent_id ORDER BY ${offered}) FILTER (WHERE agent_id IS NOT NULL))[1] AS agent_id,
      (array_agg(queue ORDER BY ${offered}) FILTER (WHERE queue IS NOT NULL))[1] AS queue,
      (array_agg(channel ORDER BY ${offered}) FILTER (WHERE channel IS NOT NULL))[1] AS channel,
      min(occurred_at) FILTER (WHERE kind = 'conversation_offered') AS offered_at,
      min(at) FILTER (WHERE kind = 'conversation_offered') AS expires_at,
      min(occurred_at) FILTER (WHERE kind = 'conversation_assigned') AS accepted_at,
      min(occurred_at) FILTER (WHERE kind = 'offer_expired') AS expired_at,
      min(occurred_at) FILTER (WHERE kind = 'offer_declined') AS declined_at,
      (array_agg(reason ${EARLIEST}) FILTER (WHERE kind = 'offer_declined'))[1] AS decline_reason,
      (array_agg(rule_id ${EARLIEST}) FILTER (WHERE kind = 'conversation_offered'))[1] AS routing_rule_id,
      (array_agg(value ${EARLIEST}) FILTER (WHERE kind = 'conversation_offered'))[1] AS routing_candidates,
      (array_agg(reason ${EARLIEST}) FILTER (WHERE kind = 'conversation_offered'))[1] AS routing_summary
    FROM f WHERE offer_id IS NOT NULL
    GROUP BY tenant_id, offer_id
  ), r AS (
    SELECT tenant_id, conversation_id, agent_id, occurred_at, reason, value, event_id
    FROM f WHERE kind = 'conversation_released'
  ), rel AS (
    -- The first release of this conversation by this agent after it accepted ends the assignment.
    SELECT DISTINCT ON (o.tenant_id, o.offer_id) o.tenant_id, o.offer_id, r.occurred_at, r.reason, r.value
    FROM o JOIN r ON r.tenant_id = o.tenant_id AND r.conversation_id = o.conversation_id
      AND r.agent_id = o.agent_id AND r.occurred_at >= o.accepted_at
    ORDER BY o.tenant_id, o.offer_id, r.occurred_at, r.event_id
  )
  INSERT INTO ${s}.assignments AS a (tenant_id, offer_id, conversation_id, agent_id, queue, channel, offered_at,
    expires_at, accepted_at, expired_at, declined_at, decline_reason, ended_at, end_reason, wrap_up_seconds, outcome,
    routing_rule_id, routing_candidates, routing_summary)
  SELECT o.tenant_id, o.offer_id, o.conversation_id, o.agent_id, o.queue, o.channel, o.offered_at, o.expires_at,
    o.accepted_at, o.expired_at, o.declined_at, o.decline_reason, rel.occurred_at, rel.reason, rel.value,
    CASE
      WHEN o.accepted_at IS NOT NULL AND rel.occurred_at IS NOT NULL THEN coalesce(rel.reason, 'ended')
      WHEN o.accepted_at IS NOT NULL THEN 'active'
      WHEN o.declined_at IS NOT NULL THEN 'declined'
      WHEN o.expired_at IS NOT NULL THEN 'expired'
      ELSE 'offered'
    END,
    o.routing_rule_id, o.routing_candidates, o.routing_summary
  FROM o LEFT JOIN rel USING (tenant_id, offer_id)
  ON CONFLICT (tenant_id, offer_id) DO UPDATE SET
    conversation_id = excluded.conversation_id, agent_id = excluded.agent_id, queue = excluded.queue,
    channel = excluded.channel, offered_at = excluded.offered_at, expires_at = excluded.expires_at,
    accepted_at = excluded.accepted_at, expired_at = excluded.expired_at, declined_at = excluded.declined_at,
    decline_reason = excluded.decline_reason, ended_at = excluded.ended_at, end_reason = excluded.end_reason,
    wrap_up_seconds = excluded.wrap_up_seconds, outcome = excluded.outcome,
    routing_rule_id = excluded.routing_rule_id, routing_candidates = excluded.routing_candidates,
    routing_summary = excluded.routing_summary`;
}

// Status of the conversation from its latest lifecycle event; ties at the same instant go to the
// later lifecycle step. Resolved/abandoned win unless a reopen came after them.
const LIFECYCLE_STATUS = `CASE kind
    WHEN 'conversation_started' THEN 'new' WHEN 'bot_handoff_requested' THEN 'new'
    WHEN 'conversation_queued' THEN 'queued' WHEN 'conversation_escalated' THEN 'queued'
    WHEN 'offer_expired' THEN 'queued' WHEN 'offer_declined' THEN 'queued'
    WHEN 'conversation_offered' THEN 'offered' WHEN 'conversation_assigned' THEN 'assigned'
    WHEN 'conversation_transferred' THEN 'transferred' WHEN 'conversation_reopened' THEN 'reopened'
    WHEN 'conversation_released' THEN CASE reason WHEN 'completed' THEN 'completed'
      WHEN 'transferred' THEN 'transferred' ELSE 'queued' END
  END`;
const LIFECYCLE_STEP = `CASE kind
    WHEN 'conversation_started' THEN 0 WHEN 'bot_handoff_requested' THEN 0
    WHEN 'conversation_queued' THEN 1 WHEN 'conversation_escalated' THEN 1
    WHEN 'offer_expired' THEN 1 WHEN 'offer_declined' THEN 1
    WHEN 'conversation_offered' THEN 2 WHEN 'conversation_assigned' THEN 3
    WHEN 'conversation_transferred' THEN 4 WHEN 'conversation_released' THEN 5
    WHEN 'conversation_reopened' THEN 6
  END`;
const LIFECYCLE_KINDS = `kind IN ('conversation_started', 'bot_handoff_requested', 'conversation_queued',
    'conversation_escalated', 'offer_expired', 'offer_declined', 'conversation_offered', 'conversation_assigned',
    'conversation_transferred', 'conversation_reopened')
    OR (kind = 'conversation_released' AND reason IN ('completed', 'transferred', 'agent_offline'))`;
// The outcome of an SLA clock, most severe last: the row keeps the most severe over a target's clocks.
const SLA_RANK = `CASE kind WHEN 'sla_breached' THEN 5 WHEN 'sla_met' THEN 4 WHEN 'sla_clock_cancelled' THEN 3
    WHEN 'sla_warning_raised' THEN 2 ELSE 1 END`;
const SLA_STATUS = `CASE kind WHEN 'sla_breached' THEN 'breached' WHEN 'sla_met' THEN 'met'
    WHEN 'sla_clock_cancelled' THEN 'cancelled' WHEN 'sla_warning_raised' THEN 'warning' ELSE 'running' END`;
const SLA_TARGETS = ['first_response', 'next_response', 'resolution', 'time_to_assignment'] as const;
const STARTS = `kind IN ('conversation_started', 'bot_handoff_requested')`;
const ROUTED = `kind IN ('conversation_queued', 'conversation_offered', 'conversation_assigned')`;

export function recomputeConversationsSql(s: string, keys: string): string {
  const slaAgg = SLA_TARGETS.map(
    (t) => `(array_agg(${SLA_STATUS} ORDER BY ${SLA_RANK} DESC, occurred_at DESC, event_id DESC)
        FILTER (WHERE sla_target = '${t}'))[1] AS sla_${t}_status,
      min(at) FILTER (WHERE kind = 'sla_breached' AND sla_target = '${t}') AS sla_${t}_breached_at`,
  ).join(',\n      ');
  const slaCols = SLA_TARGETS.map((t) => `sla_${t}_status, sla_${t}_breached_at`).join(', ');
  const slaSet = SLA_TARGETS.map(
    (t) => `sla_${t}_status = excluded.sla_${t}_status, sla_${t}_breached_at = excluded.sla_${t}_breached_at`,
  ).join(',\n    ');
  return `WITH f AS (
    SELECT e.* FROM (${keys}) k JOIN ${s}.event_log e USING (tenant_id, conversation_id)
  ), g AS (
    SELECT tenant_id, conversation_id,
      coalesce((array_agg(channel ${EARLIEST}) FILTER (WHERE ${STARTS} AND channel IS NOT NULL))[1],
        (array_agg(channel ${LATEST}) FILTER (WHERE ${ROUTED} AND channel IS NOT NULL))[1]) AS channel,
      (array_agg(queue ${LATEST}) FILTER (WHERE queue IS NOT NULL AND kind IN ('conversation_queued',
        'conversation_escalated', 'conversation_transferred', 'conversation_assigned')))[1] AS queue,
      (array_agg(priority ${LATEST}) FILTER (WHERE kind IN ('conversation_queued', 'conversation_escalated')))[1]
        AS priority,
      coalesce((array_agg(customer_id ${EARLIEST}) FILTER (WHERE ${STARTS} AND customer_id IS NOT NULL))[1],
        (array_agg(customer_id ${LATEST}) FILTER (WHERE kind = 'conversation_queued' AND customer_id IS NOT NULL))[1])
        AS customer_id,
      coalesce((array_agg(customer_tier ${EARLIEST}) FILTER (WHERE ${STARTS} AND customer_tier IS NOT NULL))[1],
        (array_agg(customer_tier ${LATEST}) FILTER (WHERE kind = 'conversation_queued' AND customer_tier IS NOT NULL))[1])
        AS customer_tier,
      min(occurred_at) FILTER (WHERE ${STARTS}) AS created_at,
      min(occurred_at) FILTER (WHERE kind = 'conversation_queued') AS queued_at,
      min(occurred_at) FILTER (WHERE kind = 'conversation_assigned') AS first_assigned_at,
      (array_agg(agent_id ${LATEST}) FILTER (WHERE kind = 'conversation_assigned'))[1] AS assigned_agent_id,
      min(occurred_at) FILTER (WHERE kind = 'agent_message_sent') AS first_response_at,
      max(occurred_at) FILTER (WHERE kind = 'conversation_resolved') AS resolved_at,
      max(occurred_at) FILTER (WHERE kind = 'conversation_abandoned') AS abandoned_at,
      max(occurred_at) FILTER (WHERE kind = 'conversation_reopened') AS reopened_at,
      (array_agg(CASE kind WHEN 'conversation_resolved' THEN 'resolved' ELSE 'abandoned' END ${LATEST})
        FILTER (WHERE kind IN ('conversation_resolved', 'conversation_abandoned')))[1] AS end_status,
      (array_agg(${LIFECYCLE_STATUS} ORDER BY occurred_at DESC, ${LIFECYCLE_STEP} DESC, event_id DESC)
        FILTER (WHERE ${LIFECYCLE_KINDS}))[1] AS live_status,
      count(*) FILTER (WHERE kind = 'conversation_reopened')::integer AS reopened_count,
      count(*) FILTER (WHERE kind = 'conversation_transferred')::integer AS transfers,
      (array_agg(value ${LATEST}) FILTER (WHERE kind = 'csat_submitted'))[1]::smallint AS csat,
      count(*) FILTER (WHERE kind = 'conversation_offered')::integer AS offers,
      ${slaAgg},
      count(*) FILTER (WHERE kind = 'sla_met')::integer AS sla_met,
      count(*) FILTER (WHERE kind = 'sla_breached')::integer AS sla_breached
    FROM f GROUP BY tenant_id, conversation_id
  ), up AS (
  INSERT INTO ${s}.conversations AS c (tenant_id, conversation_id, channel, queue, priority, status, customer_id,
    customer_tier, created_at, queued_at, first_assigned_at, assigned_agent_id, first_response_at, resolved_at,
    abandoned_at, reopened_count, transfers, csat, offers, handle_seconds, ${slaCols}, sla_met, sla_breached)
  SELECT tenant_id, conversation_id, channel, queue, priority,
    CASE WHEN end_status IS NOT NULL
      AND (reopened_at IS NULL OR greatest(resolved_at, abandoned_at) >= reopened_at) THEN end_status
      ELSE coalesce(live_status, 'new') END,
    customer_id, customer_tier, created_at, queued_at, first_assigned_at, assigned_agent_id, first_response_at,
    resolved_at, abandoned_at, reopened_count, transfers, csat, offers,
    (SELECT sum(extract(epoch FROM a.ended_at - a.accepted_at))::double precision FROM ${s}.assignments a
      WHERE a.tenant_id = g.tenant_id AND a.conversation_id = g.conversation_id AND a.ended_at IS NOT NULL),
    ${slaCols}, sla_met, sla_breached
  FROM g
  ON CONFLICT (tenant_id, conversation_id) DO UPDATE SET
    channel = excluded.channel, queue = excluded.queue, priority = excluded.priority, status = excluded.status,
    customer_id = excluded.customer_id, customer_tier = excluded.customer_tier, created_at = excluded.created_at,
    queued_at = excluded.queued_at, first_assigned_at = excluded.first_assigned_at,
    assigned_agent_id = excluded.assigned_agent_id, first_response_at = excluded.first_response_at,
    resolved_at = excluded.resolved_at, abandoned_at = excluded.abandoned_at,
    reopened_count = excluded.reopened_count, transfers = excluded.transfers, csat = excluded.csat,
    offers = excluded.offers, handle_seconds = excluded.handle_seconds,
    ${slaSet},
    sla_met = excluded.sla_met, sla_breached = excluded.sla_breached
  RETURNING tenant_id, queued_at
  )
  -- The intervals the conversations count in now need a KPI refresh too.
  INSERT INTO ${s}.kpi_dirty (tenant_id, interval_start)
  SELECT DISTINCT tenant_id, date_bin('15 minutes', queued_at, TIMESTAMPTZ '1970-01-01Z') FROM up
  WHERE queued_at IS NOT NULL
  ON CONFLICT DO NOTHING`;
}

/**
 * Agent status intervals are islands of equal presence. For each touched agent, every interval from
 * the last one that started before the agent's earliest new fact is recomputed: `$1..$3` are the
 * tenant ids, agent ids and those anchors.
 */
export function agentAnchorsSql(s: string): string {
  return `SELECT k.tenant_id, k.agent_id, coalesce(max(i.started_at), '-infinity')::text AS anchor
  FROM unnest($1::text[], $2::text[], $3::timestamptz[]) AS k(tenant_id, agent_id, from_ts)
  LEFT JOIN ${s}.agent_status_intervals i
    ON i.tenant_id = k.tenant_id AND i.agent_id = k.agent_id AND i.started_at < k.from_ts
  GROUP BY k.tenant_id, k.agent_id`;
}

export function deleteAgentIntervalsSql(s: string): string {
  return `DELETE FROM ${s}.agent_status_intervals i
  USING unnest($1::text[], $2::text[], $3::timestamptz[]) AS k(tenant_id, agent_id, anchor)
  WHERE i.tenant_id = k.tenant_id AND i.agent_id = k.agent_id AND i.started_at >= k.anchor`;
}

export function insertAgentIntervalsSql(s: string, anchors: string): string {
  return `WITH ev AS (
    SELECT e.tenant_id, e.agent_id, e.occurred_at, e.presence, e.reason, e.event_id,
      lag(e.presence) OVER (PARTITION BY e.tenant_id, e.agent_id ORDER BY e.occurred_at, e.event_id) AS prev
    FROM (${anchors}) k
    JOIN ${s}.event_log e ON e.kind = 'agent_state_changed' AND e.tenant_id = k.tenant_id
      AND e.agent_id = k.agent_id AND e.occurred_at >= k.anchor
  ), starts AS (
    SELECT DISTINCT ON (tenant_id, agent_id, occurred_at) tenant_id, agent_id, occurred_at, presence, reason
    FROM ev WHERE prev IS DISTINCT FROM presence
    ORDER BY tenant_id, agent_id, occurred_at, event_id DESC
  )
  INSERT INTO ${s}.agent_status_intervals (tenant_id, agent_id, status, started_at, ended_at, reason)
  SELECT tenant_id, agent_id, presence, occurred_at,
    lead(occurred_at) OVER (PARTITION BY tenant_id, agent_id ORDER BY occurred_at), reason
  FROM starts`;
}

export const UNNEST_AGENT_ANCHORS =
  'SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[]) AS k(tenant_id, agent_id, anchor)';

export function allAgentAnchors(s: string): string {
  return `SELECT DISTINCT tenant_id, agent_id, '-infinity'::timestamptz AS anchor FROM ${s}.event_log
  WHERE kind = 'agent_state_changed'`;
}
