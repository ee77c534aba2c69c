import { type CompiledConfig, compileConfig } from './config';
import type { RoutingEvent } from './events';
import type { Agent, Conversation } from './model';
import { MAX_CHANNEL, Presence, type SkillLevel } from './types';

/**
 * What an event changes, expressed over a `World`: the live state implements it with its indexes,
 * the decider with copy-on-write drafts. One transition function for both keeps them identical.
 */
export interface World {
  config(): CompiledConfig;
  setConfig(config: CompiledConfig): void;
  /** The agent to change, created when missing. */
  agentForUpdate(id: string): Agent;
  /** The conversation to change, created when missing. */
  conversationForUpdate(id: string): Conversation;
  nextSeq(): number;
  customerServed(customerId: string, agentId: string, at: number): void;
  closed(conversationId: string, open: boolean): void;
  handled(queueId: string, handleMs: number): void;
}

function releaseHold(a: Agent, c: Conversation): void {
  if (!a.holding.includes(c.id)) return;
  a.holding = a.holding.filter((id) => id !== c.id);
  const held = a.held.slice();
  held[c.channel] = (held[c.channel] ?? 1) - 1;
  a.held = held;
  a.heldTotal -= 1;
}

function close(w: World, c: Conversation, status: 'completed' | 'abandoned', at: number): void {
  c.status = status;
  c.closedAt = at;
  c.offerId = '';
  c.agentId = '';
  w.closed(c.id, false);
}

function sameSkills(a: readonly SkillLevel[], b: readonly SkillLevel[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as SkillLevel;
    const y = b[i] as SkillLevel;
    if (x.skill !== y.skill || x.proficiency !== y.proficiency) return false;
  }
  return true;
}

export function applyEvent(w: World, e: RoutingEvent): void {
  switch (e.type) {
    case 'ConversationQueued': {
      const c = w.conversationForUpdate(e.conversationId);
      if (c.status === 'completed' || c.status === 'abandoned') {
        c.excluded = [];
        c.assignedAt = 0;
        c.closedAt = 0;
        w.closed(c.id, true);
      }
      c.status = 'waiting';
      c.channel = e.channel;
      c.customerId = e.customerId;
      c.customerTier = e.customerTier;
      c.queueId = e.queueId;
      c.priority = e.priority;
      c.requirements = e.requiredSkills;
      c.ruleId = e.reason.ruleId;
      c.waitingSince = e.waitingSince;
      c.queueEnteredAt = e.queueEnteredAt;
      c.atFront = e.atFront;
      c.seq = w.nextSeq();
      c.stepsApplied = e.escalationStepsApplied;
      c.preferredAgentId = e.preferredAgentId;
      c.offerId = '';
      c.agentId = '';
      c.offerExpiresAt = 0;
      return;
    }
    case 'ConversationOffered': {
      const c = w.conversationForUpdate(e.conversationId);
      const a = w.agentForUpdate(e.agentId);
      c.status = 'offered';
      c.offerId = e.offerId;
      c.agentId = e.agentId;
      c.offerExpiresAt = e.expiresAt;
      const held = a.held.slice();
      held[c.channel] = (held[c.channel] ?? 0) + 1;
      a.held = held;
      a.heldTotal += 1;
      a.holding = [...a.holding, c.id];
      a.lastAssignedAt = e.at;
      return;
    }
    case 'OfferExpired':
    case 'OfferDeclined': {
      const c = w.conversationForUpdate(e.conversationId);
      const a = w.agentForUpdate(e.agentId);
      releaseHold(a, c);
      a.missed = e.type === 'OfferExpired' ? e.consecutiveMissed : 0;
      c.status = 'waiting';
      c.offerId = '';
      c.agentId = '';
      c.offerExpiresAt = 0;
      if (!c.excluded.includes(e.agentId)) c.excluded = [...c.excluded, e.agentId];
      return;
    }
    case 'ConversationAssigned': {
      const c = w.conversationForUpdate(e.conversationId);
      const a = w.agentForUpdate(e.agentId);
      c.status = 'active';
      c.assignedAt = e.at;
      c.offerExpiresAt = 0;
      a.missed = 0;
      return;
    }
    case 'ConversationReleased': {
      const c = w.conversationForUpdate(e.conversationId);
      const a = w.agentForUpdate(e.agentId);
      releaseHold(a, c);
      if (e.reason === 'completed' || e.reason === 'resolved') {
        if (c.assignedAt > 0) w.handled(c.queueId, e.at - c.assignedAt);
        if (c.status === 'active') {
          c.lastAgentId = e.agentId;
          if (c.customerId) w.customerServed(c.customerId, e.agentId, e.at);
        }
        close(w, c, 'completed', e.at);
      } else if (e.reason === 'abandoned') {
        close(w, c, 'abandoned', e.at);
      } else {
        if (c.status === 'active') c.lastAgentId = e.agentId;
        c.status = 'transit';
        c.offerId = '';
        c.agentId = '';
        c.offerExpiresAt = 0;
      }
      return;
    }
    case 'ConversationDequeued': {
      const c = w.conversationForUpdate(e.conversationId);
      close(w, c, e.reason === 'resolved' ? 'completed' : 'abandoned', e.at);
      return;
    }
    case 'ConversationEscalated': {
      const c = w.conversationForUpdate(e.conversationId);
      if (e.newQueueId !== c.queueId) {
        c.queueId = e.newQueueId;
        c.stepsApplied = 0;
        c.queueEnteredAt = e.at;
      } else {
        c.stepsApplied = e.stepIndex + 1;
      }
      c.priority = e.newPriority;
      c.requirements = e.requiredSkills;
      return;
    }
    case 'ConversationTransferred': {
      const c = w.conversationForUpdate(e.conversationId);
      c.excluded = [];
      return;
    }
    case 'AgentStateChanged': {
      const a = w.agentForUpdate(e.agentId);
      a.presence = e.presence;
      // Keep the skills map when unchanged: indexes and memos key on its identity.
      if (!sameSkills(a.skillList, e.skills)) {
        a.skillList = e.skills;
        a.skills = new Map(e.skills.map((s) => [s.skill, s.proficiency]));
      }
      const capacity = new Array<number>(MAX_CHANNEL + 1).fill(0);
      let sum = 0;
      for (const c of e.capacity) {
        capacity[c.channel] = c.capacity;
        sum += c.capacity;
      }
      a.capacity = capacity;
      a.totalCapacity = e.totalCapacity;
      a.effectiveTotal = e.totalCapacity > 0 ? Math.min(e.totalCapacity, sum) : sum;
      a.wrapUpUntil = e.presence === Presence.WRAP_UP ? e.wrapUpUntil : 0;
      if (e.reason === 'missed_offers') a.missed = 0;
      return;
    }
    case 'RoutingConfigApplied':
      w.setConfig(compileConfig(e.config, e.version));
      return;
    case 'RoutingConfigRejected':
      return;
  }
}
