-- Up Migration
-- Views for the common questions, and the indexes behind them. Days are UTC days.

CREATE INDEX kpi_intervals_queue ON kpi_intervals (tenant_id, queue, interval_start);
CREATE INDEX agent_status_intervals_day ON agent_status_intervals (tenant_id, started_at);
CREATE INDEX assignments_accepted ON assignments (tenant_id, accepted_at) WHERE accepted_at IS NOT NULL;

-- Today (UTC) per tenant, queue and channel, weighted from the 15-minute intervals.
CREATE VIEW queue_today AS
SELECT
  tenant_id,
  queue,
  channel,
  sum(offered)::integer AS offered,
  sum(answered)::integer AS answered,
  sum(abandoned)::integer AS abandoned,
  sum(time_to_answer_seconds_sum) / nullif(sum(answered), 0) AS avg_time_to_answer_seconds,
  sum(handle_seconds_sum) / nullif(sum(handled), 0) AS avg_handle_time_seconds,
  sum(resolved_first_contact)::double precision / nullif(sum(resolved), 0) AS first_contact_resolution_rate,
  sum(sla_met)::double precision / nullif(sum(sla_met) + sum(sla_breached), 0) AS sla_attainment,
  sum(csat_sum)::double precision / nullif(sum(csat_count), 0) AS avg_csat,
  sum(transfers)::integer AS transfers
FROM kpi_intervals
WHERE interval_start >= date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
GROUP BY tenant_id, queue, channel;

-- Per agent and UTC day: offers and their outcomes, handle time, and time per status (an interval
-- counts on the day it started; an open interval runs until now).
CREATE VIEW agent_daily_summary AS
WITH offers AS (
  SELECT
    tenant_id,
    agent_id,
    (date_trunc('day', offered_at AT TIME ZONE 'UTC'))::date AS day,
    count(*)::integer AS offers,
    count(accepted_at)::integer AS accepted,
    count(declined_at)::integer AS declined,
    count(expired_at)::integer AS expired,
    sum(extract(epoch FROM ended_at - accepted_at)) AS handle_seconds,
    count(ended_at)::integer AS completed
  FROM assignments
  WHERE offered_at IS NOT NULL AND agent_id IS NOT NULL
  GROUP BY 1, 2, 3
), presence AS (
  SELECT
    tenant_id,
    agent_id,
    (date_trunc('day', started_at AT TIME ZONE 'UTC'))::date AS day,
    sum(extract(epoch FROM coalesce(ended_at, now()) - started_at)) FILTER (WHERE status = 'available') AS available_seconds,
    sum(extract(epoch FROM coalesce(ended_at, now()) - started_at)) FILTER (WHERE status = 'away') AS away_seconds,
    sum(extract(epoch FROM coalesce(ended_at, now()) - started_at)) FILTER (WHERE status = 'wrap_up') AS wrap_up_seconds
  FROM agent_status_intervals
  GROUP BY 1, 2, 3
)
SELECT
  coalesce(o.tenant_id, p.tenant_id) AS tenant_id,
  coalesce(o.agent_id, p.agent_id) AS agent_id,
  coalesce(o.day, p.day) AS day,
  coalesce(o.offers, 0) AS offers,
  coalesce(o.accepted, 0) AS accepted,
  coalesce(o.declined, 0) AS declined,
  coalesce(o.expired, 0) AS expired,
  coalesce(o.completed, 0) AS completed,
  coalesce(o.handle_seconds, 0) AS handle_seconds,
  o.handle_seconds / nullif(o.completed, 0) AS avg_handle_seconds,
  coalesce(p.available_seconds, 0) AS available_seconds,
  coalesce(p.away_seconds, 0) AS away_seconds,
  coalesce(p.wrap_up_seconds, 0) AS wrap_up_seconds,
  -- Share of logged-in time (available + wrap-up + away) spent handling conversations.
  coalesce(o.handle_seconds, 0)
    / nullif(coalesce(p.available_seconds, 0) + coalesce(p.wrap_up_seconds, 0) + coalesce(p.away_seconds, 0), 0)
    AS occupancy
FROM offers o
FULL JOIN presence p ON p.tenant_id = o.tenant_id AND p.agent_id = o.agent_id AND p.day = o.day;

-- Down Migration
DROP VIEW agent_daily_summary;
DROP VIEW queue_today;
DROP INDEX assignments_accepted;
DROP INDEX agent_status_intervals_day;
DROP INDEX kpi_intervals_queue;
