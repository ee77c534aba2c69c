import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import {
  ConversationStatus as ProtoStatus,
  type TenantRoutingSnapshot,
  TenantRoutingSnapshotSchema,
} from '@switchboard/contracts/gen/switchboard/routing/v1/snapshot_pb';
import { compileConfig } from './config';
import { requirementFromProto, routingConfigFromProto, routingConfigToProto } from './config-proto';
import { type ConversationStatus, newAgent, newConversation } from './model';
import { createState, type TenantRoutingState } from './state';
import { MAX_CHANNEL, RoutingError } from './types';

export const SNAPSHOT_FORMAT = 1;

const STATUS_TO: Record<ConversationStatus, ProtoStatus> = {
  waiting: ProtoStatus.WAITING,
  offered: ProtoStatus.OFFERED,
  active: ProtoStatus.ACTIVE,
  completed: ProtoStatus.COMPLETED,
  abandoned: ProtoStatus.ABANDONED,
  transit: ProtoStatus.UNSPECIFIED,
};
const STATUS_FROM: Record<number, ConversationStatus> = {
  [ProtoStatus.WAITING]: 'waiting',
  [ProtoStatus.OFFERED]: 'offered',
  [ProtoStatus.ACTIVE]: 'active',
  [ProtoStatus.COMPLETED]: 'completed',
  [ProtoStatus.ABANDONED]: 'abandoned',
};

/** The state as a protobuf message; entities in a canonical order so equal states give equal bytes. */
export function snapshotMessage(state: TenantRoutingState): TenantRoutingSnapshot {
  const agents = [...state.agents.values()].sort((a, b) => a.idx - b.idx);
  const open = [...state.conversations.values()]
    .filter((c) => !state.closedOrder.has(c.id))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const closed = [...state.closedOrder.keys()]
    .map((id) => state.conversations.get(id))
    .filter((c) => c !== undefined);
  return create(TenantRoutingSnapshotSchema, {
    formatVersion: SNAPSHOT_FORMAT,
    ...(state.configured ? { config: routingConfigToProto(state.config.source) } : {}),
    configVersion: BigInt(state.config.version),
    agents: agents.map((a) => ({
      agentId: a.id,
      presence: a.presence,
      skills: a.skillList.map((s) => ({ skill: s.skill, proficiency: s.proficiency })),
      capacity: a.capacity.flatMap((capacity, channel) => (capacity > 0 ? [{ channel, capacity }] : [])),
      totalCapacity: a.totalCapacity,
      wrapUpUntilMs: BigInt(a.wrapUpUntil),
      lastAssignedAtMs: BigInt(a.lastAssignedAt),
      consecutiveMissed: a.missed,
    })),
    conversations: [...open, ...closed].map((c) => ({
      conversationId: c.id,
      status: STATUS_TO[c.status],
      channel: c.channel,
      customerId: c.customerId,
      customerTier: c.customerTier,
      queueId: c.queueId,
      priority: c.priority,
      requiredSkills: c.requirements.map((r) => ({ ...r })),
      ruleId: c.ruleId,
      waitingSinceMs: BigInt(c.waitingSince),
      queueEnteredAtMs: BigInt(c.queueEnteredAt),
      atFront: c.atFront,
      seq: BigInt(c.seq),
      escalationStepsApplied: c.stepsApplied,
      preferredAgentId: c.preferredAgentId,
      excludedAgentIds: [...c.excluded],
      offerId: c.offerId,
      agentId: c.agentId,
      offerExpiresAtMs: BigInt(c.offerExpiresAt),
      closedAtMs: BigInt(c.closedAt),
      assignedAtMs: BigInt(c.assignedAt),
      lastAgentId: c.lastAgentId,
    })),
    customers: [...state.customers].map(([customerId, v]) => ({
      customerId,
      agentId: v.agentId,
      atMs: BigInt(v.at),
    })),
    recentEventIds: state.recentIds(),
    nextSeq: BigInt(state.nextSeq),
    queues: [...state.queues.values()]
      .filter((q) => q.avgHandleMs !== 0)
      .sort((a, b) => (a.queueId < b.queueId ? -1 : 1))
      .map((q) => ({ queueId: q.queueId, avgHandleMs: q.avgHandleMs })),
  });
}

export function toSnapshot(state: TenantRoutingState): Uint8Array {
  return toBinary(TenantRoutingSnapshotSchema, snapshotMessage(state));
}

/** Rebuilds a state (entities and indexes) from snapshot bytes. */
export function fromSnapshot(
  bytes: Uint8Array,
  options: { idempotencyWindow?: number } = {},
): TenantRoutingState {
  let s: TenantRoutingSnapshot;
  try {
    s = fromBinary(TenantRoutingSnapshotSchema, bytes);
  } catch (err) {
    throw new RoutingError('RTG_ERR_INVALID_SNAPSHOT', `undecodable snapshot: ${(err as Error).message}`);
  }
  if (s.formatVersion !== SNAPSHOT_FORMAT)
    throw new RoutingError('RTG_ERR_INVALID_SNAPSHOT', `unsupported snapshot format ${s.formatVersion}`);
  const state = createState(options);
  if (s.config) {
    state.config = compileConfig(routingConfigFromProto(s.config), Number(s.configVersion));
    state.configured = true;
  }
  for (const p of s.agents) {
    const a = newAgent(p.agentId, state.nextAgentIdx++);
    a.presence = p.presence;
    a.skillList = p.skills.map((k) => ({ skill: k.skill, proficiency: k.proficiency }));
    a.skills = new Map(a.skillList.map((k) => [k.skill, k.proficiency]));
    const capacity = new Array<number>(MAX_CHANNEL + 1).fill(0);
    let sum = 0;
    for (const c of p.capacity) {
      capacity[c.channel] = c.capacity;
      sum += c.capacity;
    }
    a.capacity = capacity;
    a.totalCapacity = p.totalCapacity;
    a.effectiveTotal = p.totalCapacity > 0 ? Math.min(p.totalCapacity, sum) : sum;
    a.wrapUpUntil = Number(p.wrapUpUntilMs);
    a.lastAssignedAt = Number(p.lastAssignedAtMs);
    a.missed = p.consecutiveMissed;
    state.agents.set(a.id, a);
  }
  for (const p of s.conversations) {
    const status = STATUS_FROM[p.status];
    if (!status)
      throw new RoutingError('RTG_ERR_INVALID_SNAPSHOT', `conversation ${p.conversationId} has no status`);
    const c = newConversation(p.conversationId);
    Object.assign(c, {
      status,
      channel: p.channel,
      customerId: p.customerId,
      customerTier: p.customerTier,
      queueId: p.queueId,
      priority: p.priority,
      requirements: p.requiredSkills.map(requirementFromProto),
      ruleId: p.ruleId,
      waitingSince: Number(p.waitingSinceMs),
      queueEnteredAt: Number(p.queueEnteredAtMs),
      atFront: p.atFront,
      seq: Number(p.seq),
      stepsApplied: p.escalationStepsApplied,
      preferredAgentId: p.preferredAgentId,
      excluded: [...p.excludedAgentIds],
      offerId: p.offerId,
      agentId: p.agentId,
      offerExpiresAt: Number(p.offerExpiresAtMs),
      closedAt: Number(p.closedAtMs),
      assignedAt: Number(p.assignedAtMs),
      lastAgentId: p.lastAgentId,
    });
    state.conversations.set(c.id, c);
    if (status === 'completed' || status === 'abandoned') state.closedOrder.set(c.id, c.closedAt);
    if (status === 'offered' || status === 'active') {
      const a = state.agents.get(c.agentId);
      if (!a)
        throw new RoutingError('RTG_ERR_INVALID_SNAPSHOT', `conversation ${c.id} held by unknown agent`);
      a.holding = [...a.holding, c.id];
      const held = a.held.slice();
      held[c.channel] = (held[c.channel] ?? 0) + 1;
      a.held = held;
      a.heldTotal++;
    }
  }
  for (const p of s.customers) state.customers.set(p.customerId, { agentId: p.agentId, at: Number(p.atMs) });
  for (const id of s.recentEventIds) state.remember(id);
  state.nextSeq = Number(s.nextSeq);
  for (const q of s.queues) state.queue(q.queueId).avgHandleMs = q.avgHandleMs;
  state.reindexAll();
  return state;
}
