-- Up Migration
-- Conversations and agents whose read-model rows must be recomputed: written with the facts in the
-- batch transaction, drained by the refresher (one serialized, set-based recompute for many batches).
CREATE TABLE dirty_conversations (
  tenant_id text NOT NULL,
  conversation_id text NOT NULL,
  PRIMARY KEY (tenant_id, conversation_id)
);

CREATE TABLE dirty_agents (
  tenant_id text NOT NULL,
  agent_id text NOT NULL,
  -- Earliest time of the agent's new facts: intervals from the one before it are recomputed.
  from_ts timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, agent_id)
);

-- Down Migration
DROP TABLE dirty_agents;
DROP TABLE dirty_conversations;
