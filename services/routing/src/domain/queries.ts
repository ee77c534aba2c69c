import type { Agent, Conversation, ConversationStatus } from './model';
import type { QueueCounters, TenantRoutingState } from './state';
import type { Channel, ChannelCapacity, Presence, SkillLevel } from './types';
import { MAX_CHANNEL } from './types';

/** A queue right now (switchboard.routing.v1.QueueStats). */
export interface QueueStatsView {
  queueId: string;
  name: string;
  waiting: number;
  /** Highest priority first. */
  waitingByPriority: { priority: number; waiting: number }[];
  longestWaitSeconds: number;
  /** Agents whose skills meet the queue's default requirements, by state. */
  agentsAvailable: number;
  agentsBusy: number;
  agentsAway: number;
  /** Rough wait of a new conversation of default priority; 0 when unknown or none. */
  estimatedWaitSeconds: number;
}

function view(
  state: TenantRoutingState,
  queueId: string,
  q: QueueCounters | undefined,
  now: number,
): QueueStatsView {
  const config = state.config.queues.get(queueId);
  let longestSince: number | undefined;
  q?.oldest.visitInOrder((e) => {
    if ((e.conv.ix as { stamp: number }).stamp !== e.stamp) return false;
    longestSince = e.since;
    return true;
  });
  const byPriority = [...(q?.byPriority ?? [])]
    .sort(([a], [b]) => b - a)
    .map(([priority, waiting]) => ({ priority, waiting }));
  const defaultPriority = config?.defaultPriority ?? 0;
  const ahead = byPriority.reduce((n, p) => (p.priority >= defaultPriority ? n + p.waiting : n), 0);
  const available = q?.available ?? 0;
  const servers = available + (q?.busy ?? 0);
  const handle = q?.avgHandleMs ?? 0;
  const estimated =
    ahead === 0 && available > 0
      ? 0
      : servers === 0 || handle === 0
        ? 0
        : ((ahead + 1) * handle) / servers / 1000;
  return {
    queueId,
    name: config?.name ?? '',
    waiting: q?.waiting ?? 0,
    waitingByPriority: byPriority,
    longestWaitSeconds: longestSince === undefined ? 0 : Math.max(0, Math.floor((now - longestSince) / 1000)),
    agentsAvailable: available,
    agentsBusy: q?.busy ?? 0,
    agentsAway: q?.away ?? 0,
    estimatedWaitSeconds: Math.ceil(estimated),
  };
}

/** Stats of one queue, from counters kept by `evolve` (no scan of agents or conversations). */
export function queueStats(state: TenantRoutingState, queueId: string, now: number): QueueStatsView {
  return view(state, queueId, state.queues.get(queueId), now);
}

/** Every configured queue, plus queues that still hold conversations from an older config. */
export function listQueueStats(state: TenantRoutingState, now: number): QueueStatsView[] {
  const ids = state.config.source.queues.map((q) => q.id);
  for (const [id, q] of state.queues) if (q.waiting > 0 && !state.config.queues.has(id)) ids.push(id);
  return ids.map((id) => queueStats(state, id, now));
}

export interface AgentView {
  agentId: string;
  presence: Presence;
  skills: SkillLevel[];
  capacity: ChannelCapacity[];
  totalCapacity: number;
  held: { channel: Channel; count: number }[];
  /** Conversations offered to or active with the agent. */
  conversations: { conversationId: string; status: ConversationStatus; offerId: string }[];
  lastAssignedAt: number;
  wrapUpUntil: number;
  consecutiveMissed: number;
}

export function agentView(state: TenantRoutingState, agentId: string): AgentView | undefined {
  const a: Agent | undefined = state.agents.get(agentId);
  if (!a) return undefined;
  const capacity: ChannelCapacity[] = [];
  const held: AgentView['held'] = [];
  for (let ch = 1; ch <= MAX_CHANNEL; ch++) {
    if ((a.capacity[ch] ?? 0) > 0) capacity.push({ channel: ch, capacity: a.capacity[ch] ?? 0 });
    if ((a.held[ch] ?? 0) > 0) held.push({ channel: ch, count: a.held[ch] ?? 0 });
  }
  return {
    agentId,
    presence: a.presence,
    skills: [...a.skillList],
    capacity,
    totalCapacity: a.totalCapacity,
    held,
    conversations: [...a.holding].map((id) => {
      const c = state.conversations.get(id) as Conversation;
      return { conversationId: id, status: c.status, offerId: c.offerId };
    }),
    lastAssignedAt: a.lastAssignedAt,
    wrapUpUntil: a.wrapUpUntil,
    consecutiveMissed: a.missed,
  };
}

export interface ConversationView {
  conversationId: string;
  status: ConversationStatus;
  queueId: string;
  priority: number;
  agentId: string;
  offerId: string;
  waitingSince: number;
  excludedAgentIds: readonly string[];
  lastAgentId: string;
}

export function conversationView(
  state: TenantRoutingState,
  conversationId: string,
): ConversationView | undefined {
  const c = state.conversations.get(conversationId);
  if (!c) return undefined;
  return {
    conversationId,
    status: c.status,
    queueId: c.queueId,
    priority: c.priority,
    agentId: c.agentId,
    offerId: c.offerId,
    waitingSince: c.waitingSince,
    excludedAgentIds: c.excluded,
    lastAgentId: c.lastAgentId,
  };
}
