import type { Channel, Millis, Presence, SkillLevel, SkillRequirement } from './types';
import { MAX_CHANNEL, Presence as P } from './types';

export type ConversationStatus = 'waiting' | 'offered' | 'active' | 'completed' | 'abandoned' | 'transit';

/** An agent as routing sees it. Arrays and maps replaced by a change are replaced, never mutated. */
export interface Agent {
  id: string;
  /** Order of first appearance: the final, deterministic tie-break. */
  idx: number;
  presence: Presence;
  /** Skill id to proficiency. */
  skills: ReadonlyMap<string, number>;
  skillList: readonly SkillLevel[];
  /** Capacity per channel, indexed by channel number. */
  capacity: readonly number[];
  /** Configured overall cap; 0 means the sum of the channel capacities. */
  totalCapacity: number;
  effectiveTotal: number;
  /** Conversations offered or active per channel (replaced on change, so drafts share it). */
  held: readonly number[];
  heldTotal: number;
  /** Ids of the conversations offered or active, in offer order (replaced on change). */
  holding: readonly string[];
  lastAssignedAt: Millis;
  wrapUpUntil: Millis;
  missed: number;
  /** Index bookkeeping, owned by the state. */
  ix: unknown;
}

export interface Conversation {
  id: string;
  status: ConversationStatus;
  channel: Channel;
  customerId: string;
  customerTier: string;
  queueId: string;
  priority: number;
  requirements: readonly SkillRequirement[];
  ruleId: string;
  waitingSince: Millis;
  queueEnteredAt: Millis;
  atFront: boolean;
  /** FIFO tie-break among equal waiting times. */
  seq: number;
  stepsApplied: number;
  preferredAgentId: string;
  /** Agents that declined or missed it: never offered again. */
  excluded: readonly string[];
  offerId: string;
  /** Agent holding it (offered or active). */
  agentId: string;
  offerExpiresAt: Millis;
  assignedAt: Millis;
  closedAt: Millis;
  lastAgentId: string;
  ix: unknown;
}

export function newAgent(id: string, idx: number): Agent {
  return {
    id,
    idx,
    presence: P.OFFLINE,
    skills: new Map(),
    skillList: [],
    capacity: new Array(MAX_CHANNEL + 1).fill(0),
    totalCapacity: 0,
    effectiveTotal: 0,
    held: new Array(MAX_CHANNEL + 1).fill(0),
    heldTotal: 0,
    holding: [],
    lastAssignedAt: 0,
    wrapUpUntil: 0,
    missed: 0,
    ix: undefined,
  };
}

export function newConversation(id: string): Conversation {
  return {
    id,
    status: 'transit',
    channel: 0,
    customerId: '',
    customerTier: '',
    queueId: '',
    priority: 0,
    requirements: [],
    ruleId: '',
    waitingSince: 0,
    queueEnteredAt: 0,
    atFront: false,
    seq: 0,
    stepsApplied: 0,
    preferredAgentId: '',
    excluded: [],
    offerId: '',
    agentId: '',
    offerExpiresAt: 0,
    assignedAt: 0,
    closedAt: 0,
    lastAgentId: '',
    ix: undefined,
  };
}

export function cloneAgent(a: Agent): Agent {
  return { ...a };
}

export function cloneConversation(c: Conversation): Conversation {
  return { ...c };
}

/** Available, with room on the channel and overall. */
export function readyOn(a: Agent, channel: number): boolean {
  return (
    a.presence === P.AVAILABLE &&
    (a.capacity[channel] ?? 0) > (a.held[channel] ?? 0) &&
    a.heldTotal < a.effectiveTotal
  );
}

export function hasSkills(a: Agent, reqs: readonly SkillRequirement[]): boolean {
  for (let i = 0; i < reqs.length; i++) {
    const r = reqs[i] as SkillRequirement;
    const p = a.skills.get(r.skill);
    if (p === undefined || p < r.minProficiency) return false;
  }
  return true;
}

export function load(a: Agent): number {
  return a.effectiveTotal > 0 ? a.heldTotal / a.effectiveTotal : 1;
}

/** Least loaded, then longest idle (oldest last assignment), then first seen. */
export function agentBefore(
  aLoad: number,
  aLast: number,
  aIdx: number,
  bLoad: number,
  bLast: number,
  bIdx: number,
): boolean {
  if (aLoad !== bLoad) return aLoad < bLoad;
  if (aLast !== bLast) return aLast < bLast;
  return aIdx < bIdx;
}

/** Highest priority, then re-queued at the front, then longest waiting, then arrival order. */
export function conversationBefore(a: Conversation, b: Conversation): boolean {
  if (a.priority !== b.priority) return a.priority > b.priority;
  if (a.atFront !== b.atFront) return a.atFront;
  if (a.waitingSince !== b.waitingSince) return a.waitingSince < b.waitingSince;
  return a.seq < b.seq;
}

/** Stable key of a requirement set on a channel: conversations with equal keys wait together. */
export function requirementKey(channel: number, reqs: readonly SkillRequirement[]): string {
  let key = String(channel);
  for (const r of reqs) key += `|${r.skill}:${r.minProficiency}${r.optional ? '?' : ''}`;
  return key;
}

export function isOpen(c: Conversation): boolean {
  return c.status === 'waiting' || c.status === 'offered' || c.status === 'active';
}
