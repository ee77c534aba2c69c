/**
 * The KPI definitions (docs/read-models.md, "KPI definitions") in SQL, over `conversations`. A
 * conversation counts in the interval in which it first queued, under its current queue and channel.
 * `bin` is an SQL interval expression; `from` must bind the conversations as `c`; `where` filters them.
 */
export function kpiSelectSql(s: string, bin: string, where: string, from = `${s}.conversations c`): string {
  return `SELECT c.tenant_id,
    date_bin(${bin}, c.queued_at, TIMESTAMPTZ '1970-01-01Z') AS interval_start,
    coalesce(c.queue, '') AS queue,
    coalesce(c.channel, 'unspecified') AS channel,
    count(*)::integer AS offered,
    count(*) FILTER (WHERE t.answered)::integer AS answered,
    count(*) FILTER (WHERE c.abandoned_at IS NOT NULL
      AND (c.first_assigned_at IS NULL OR c.first_assigned_at > c.abandoned_at))::integer AS abandoned,
    avg(t.tta) FILTER (WHERE t.answered) AS avg_time_to_answer_seconds,
    percentile_cont(0.9) WITHIN GROUP (ORDER BY t.tta) FILTER (WHERE t.answered) AS p90_time_to_answer_seconds,
    avg(c.handle_seconds) AS avg_handle_time_seconds,
    (count(*) FILTER (WHERE t.fcr))::double precision
      / nullif(count(*) FILTER (WHERE c.resolved_at IS NOT NULL), 0) AS first_contact_resolution_rate,
    sum(c.sla_met)::double precision / nullif(sum(c.sla_met) + sum(c.sla_breached), 0) AS sla_attainment,
    avg(c.csat)::double precision AS avg_csat,
    sum(c.transfers)::integer AS transfers,
    coalesce(sum(t.tta) FILTER (WHERE t.answered), 0)::double precision AS time_to_answer_seconds_sum,
    count(c.handle_seconds)::integer AS handled,
    coalesce(sum(c.handle_seconds), 0)::double precision AS handle_seconds_sum,
    count(*) FILTER (WHERE c.resolved_at IS NOT NULL)::integer AS resolved,
    count(*) FILTER (WHERE t.fcr)::integer AS resolved_first_contact,
    sum(c.sla_met)::integer AS sla_met,
    sum(c.sla_breached)::integer AS sla_breached,
    count(c.csat)::integer AS csat_count,
    coalesce(sum(c.csat), 0)::integer AS csat_sum
  FROM ${from}
  CROSS JOIN LATERAL (SELECT
    c.first_assigned_at IS NOT NULL AS answered,
    greatest(0, extract(epoch FROM c.first_assigned_at - c.queued_at))::double precision AS tta,
    c.resolved_at IS NOT NULL AND c.reopened_count = 0 AND c.transfers = 0 AS fcr) t
  WHERE c.queued_at IS NOT NULL AND ${where}
  GROUP BY 1, 2, 3, 4`;
}

export const KPI_COLUMNS = `tenant_id, interval_start, queue, channel, offered, answered, abandoned,
  avg_time_to_answer_seconds, p90_time_to_answer_seconds, avg_handle_time_seconds, first_contact_resolution_rate,
  sla_attainment, avg_csat, transfers, time_to_answer_seconds_sum, handled, handle_seconds_sum, resolved,
  resolved_first_contact, sla_met, sla_breached, csat_count, csat_sum`;

/** Takes up to $1 dirty intervals (skipping ones another refresher holds). */
export function takeDirtySql(s: string): string {
  return `DELETE FROM ${s}.kpi_dirty d USING (
    SELECT tenant_id, interval_start FROM ${s}.kpi_dirty ORDER BY interval_start LIMIT $1 FOR UPDATE SKIP LOCKED
  ) x WHERE d.tenant_id = x.tenant_id AND d.interval_start = x.interval_start
  RETURNING d.tenant_id, d.interval_start`;
}

const DIRTY = 'unnest($1::text[], $2::timestamptz[]) AS d(tenant_id, interval_start)';

export function deleteKpiIntervalsSql(s: string): string {
  return `DELETE FROM ${s}.kpi_intervals k USING ${DIRTY}
  WHERE k.tenant_id = d.tenant_id AND k.interval_start = d.interval_start`;
}

export function insertKpiIntervalsSql(s: string): string {
  const from = `${DIRTY} JOIN ${s}.conversations c ON c.tenant_id = d.tenant_id
    AND c.queued_at >= d.interval_start AND c.queued_at < d.interval_start + interval '15 minutes'`;
  return `INSERT INTO ${s}.kpi_intervals (${KPI_COLUMNS}) ${kpiSelectSql(s, "interval '15 minutes'", 'true', from)}`;
}
