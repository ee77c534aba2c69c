-- Up Migration
-- Read models of schema `analytics` (documented in docs/read-models.md). Names are unqualified:
-- the runner sets search_path to the target schema, so a rebuild can create a fresh copy.

-- Kafka offsets, written in the same transaction as the projection (exactly once).
CREATE TABLE consumer_offsets (
  group_id text NOT NULL,
  topic text NOT NULL,
  partition integer NOT NULL,
  next_offset bigint NOT NULL,
  PRIMARY KEY (group_id, topic, partition)
);

-- Every projected event, one compact row each: the projection input. Its primary key makes a
-- repeated event id a no-op; the read models are recomputed from it, so arrival order cannot matter.
CREATE TABLE event_log (
  tenant_id text NOT NULL,
  event_id text NOT NULL,
  kind text NOT NULL,
  conversation_id text,
  agent_id text,
  occurred_at timestamptz NOT NULL,
  queue text,
  channel text,
  priority integer,
  offer_id text,
  customer_id text,
  customer_tier text,
  presence text,
  sla_target text,
  sla_sequence integer,
  sla_policy_id text,
  value bigint,
  at timestamptz,
  reason text,
  rule_id text,
  PRIMARY KEY (tenant_id, event_id)
);
CREATE INDEX event_log_conversation ON event_log (tenant_id, conversation_id) WHERE conversation_id IS NOT NULL;
CREATE INDEX event_log_agent_state ON event_log (tenant_id, agent_id, occurred_at)
  WHERE kind = 'agent_state_changed';

CREATE TABLE conversations (
  tenant_id text NOT NULL,
  conversation_id text NOT NULL,
  channel text,
  queue text,
  priority integer,
  status text NOT NULL,
  customer_id text,
  customer_tier text,
  created_at timestamptz,
  queued_at timestamptz,
  first_assigned_at timestamptz,
  assigned_agent_id text,
  first_response_at timestamptz,
  resolved_at timestamptz,
  abandoned_at timestamptz,
  reopened_count integer NOT NULL,
  transfers integer NOT NULL,
  csat smallint,
  offers integer NOT NULL,
  handle_seconds double precision,
  sla_first_response_status text,
  sla_first_response_breached_at timestamptz,
  sla_next_response_status text,
  sla_next_response_breached_at timestamptz,
  sla_resolution_status text,
  sla_resolution_breached_at timestamptz,
  sla_time_to_assignment_status text,
  sla_time_to_assignment_breached_at timestamptz,
  sla_met integer NOT NULL,
  sla_breached integer NOT NULL,
  PRIMARY KEY (tenant_id, conversation_id)
);
CREATE INDEX conversations_queued ON conversations (tenant_id, queued_at);

CREATE TABLE assignments (
  tenant_id text NOT NULL,
  offer_id text NOT NULL,
  conversation_id text NOT NULL,
  agent_id text,
  queue text,
  channel text,
  offered_at timestamptz,
  expires_at timestamptz,
  accepted_at timestamptz,
  expired_at timestamptz,
  declined_at timestamptz,
  decline_reason text,
  ended_at timestamptz,
  end_reason text,
  wrap_up_seconds integer,
  outcome text NOT NULL,
  routing_rule_id text,
  routing_candidates integer,
  routing_summary text,
  PRIMARY KEY (tenant_id, offer_id)
);
CREATE INDEX assignments_conversation ON assignments (tenant_id, conversation_id);
CREATE INDEX assignments_agent ON assignments (tenant_id, agent_id, offered_at);

CREATE TABLE agent_status_intervals (
  tenant_id text NOT NULL,
  agent_id text NOT NULL,
  status text NOT NULL,
  started_at timestamptz NOT NULL,
  ended_at timestamptz,
  reason text,
  PRIMARY KEY (tenant_id, agent_id, started_at)
);

CREATE TABLE sla_events (
  tenant_id text NOT NULL,
  event_id text NOT NULL,
  conversation_id text NOT NULL,
  kind text NOT NULL,
  target text NOT NULL,
  sequence integer NOT NULL,
  policy_id text,
  occurred_at timestamptz NOT NULL,
  threshold_percent integer,
  elapsed_seconds integer,
  due_at timestamptz,
  breached_at timestamptz,
  PRIMARY KEY (tenant_id, event_id)
);
CREATE INDEX sla_events_conversation ON sla_events (tenant_id, conversation_id);
CREATE INDEX sla_events_occurred ON sla_events (tenant_id, occurred_at);

CREATE TABLE kpi_intervals (
  tenant_id text NOT NULL,
  interval_start timestamptz NOT NULL,
  queue text NOT NULL,
  channel text NOT NULL,
  offered integer NOT NULL,
  answered integer NOT NULL,
  abandoned integer NOT NULL,
  avg_time_to_answer_seconds double precision,
  p90_time_to_answer_seconds double precision,
  avg_handle_time_seconds double precision,
  first_contact_resolution_rate double precision,
  sla_attainment double precision,
  avg_csat double precision,
  transfers integer NOT NULL,
  -- Sums behind the averages and rates, so that longer periods can be weighted correctly.
  time_to_answer_seconds_sum double precision NOT NULL,
  handled integer NOT NULL,
  handle_seconds_sum double precision NOT NULL,
  resolved integer NOT NULL,
  resolved_first_contact integer NOT NULL,
  sla_met integer NOT NULL,
  sla_breached integer NOT NULL,
  csat_count integer NOT NULL,
  csat_sum integer NOT NULL,
  PRIMARY KEY (tenant_id, interval_start, queue, channel)
);

-- 15-minute intervals whose KPIs must be recomputed (written with the projection, drained by the refresher).
CREATE TABLE kpi_dirty (
  tenant_id text NOT NULL,
  interval_start timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, interval_start)
);

-- Down Migration
DROP TABLE kpi_dirty;
DROP TABLE kpi_intervals;
DROP TABLE sla_events;
DROP TABLE agent_status_intervals;
DROP TABLE assignments;
DROP TABLE conversations;
DROP TABLE event_log;
DROP TABLE consumer_offsets;
