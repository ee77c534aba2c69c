import { applyEvent, type World } from './apply';
import type { CompiledConfig } from './config';
import type { DraftEvent, RoutingEvent, RoutingReason, SkipReason } from './events';
import {
  type Agent,
  agentBefore,
  type Conversation,
  cloneAgent,
  cloneConversation,
  conversationBefore,
  hasSkills,
  load,
  newAgent,
  newConversation,
  readyOn,
  requirementKey,
} from './model';
import { type ConvIx, readyValid, type TenantRoutingState, type WaitingEntry } from './state';
import { Presence } from './types';

/**
 * One decision in progress. It reads the state and keeps what its own events change in drafts
 * (copy-on-write), so the state is never touched: decide stays pure, and later steps of the same
 * decision see earlier ones. Index lookups skip drafted entities and consider the drafts directly.
 */
export class Tx implements World {
  readonly events: RoutingEvent[] = [];
  readonly agents = new Map<string, Agent>();
  readonly convs = new Map<string, Conversation>();
  private readonly customerDrafts = new Map<string, { agentId: string; at: number }>();
  private cfg: CompiledConfig;
  private seq: number;
  private agentIdx: number;
  private causation = '';
  private counter = 0;

  constructor(
    readonly state: TenantRoutingState,
    readonly now: number,
  ) {
    this.cfg = state.config;
    this.seq = state.nextSeq;
    this.agentIdx = state.nextAgentIdx;
  }

  /** Events from here on are caused by `id` and numbered from 0. */
  causedBy(id: string): void {
    this.causation = id;
    this.counter = 0;
  }

  nextEventId(): string {
    return `${this.causation}/${this.counter}`;
  }

  emit(draft: DraftEvent): RoutingEvent {
    const e = {
      ...draft,
      eventId: this.nextEventId(),
      causationId: this.causation,
      at: this.now,
    } as RoutingEvent;
    this.counter++;
    this.events.push(e);
    applyEvent(this, e);
    return e;
  }

  // --- reads ------------------------------------------------------------------------------------

  agent(id: string): Agent | undefined {
    return this.agents.get(id) ?? this.state.agents.get(id);
  }

  conv(id: string): Conversation | undefined {
    return this.convs.get(id) ?? this.state.conversations.get(id);
  }

  customerAgent(customerId: string): { agentId: string; at: number } | undefined {
    return this.customerDrafts.get(customerId) ?? this.state.customers.get(customerId);
  }

  // --- World: drafts ----------------------------------------------------------------------------

  config(): CompiledConfig {
    return this.cfg;
  }
  setConfig(config: CompiledConfig): void {
    this.cfg = config;
  }
  agentForUpdate(id: string): Agent {
    let a = this.agents.get(id);
    if (!a) {
      const base = this.state.agents.get(id);
      a = base ? cloneAgent(base) : newAgent(id, this.agentIdx++);
      this.agents.set(id, a);
    }
    return a;
  }
  conversationForUpdate(id: string): Conversation {
    let c = this.convs.get(id);
    if (!c) {
      const base = this.state.conversations.get(id);
      c = base ? cloneConversation(base) : newConversation(id);
      this.convs.set(id, c);
    }
    return c;
  }
  nextSeq(): number {
    return this.seq++;
  }
  customerServed(customerId: string, agentId: string, at: number): void {
    this.customerDrafts.set(customerId, { agentId, at });
  }
  closed(): void {}
  handled(): void {}

  // --- selection --------------------------------------------------------------------------------

  /** Why an agent cannot take a conversation, or undefined when it can. */
  ineligibility(a: Agent, c: Conversation): SkipReason | undefined {
    if (a.presence !== Presence.AVAILABLE) return 'not_available';
    if (!readyOn(a, c.channel)) return 'no_capacity';
    if (!hasSkills(a, c.requirements)) return 'missing_skill';
    if (c.excluded.includes(a.id)) return 'already_declined';
    return undefined;
  }

  /**
   * The agent a waiting conversation goes to: the preferred agent when eligible, else the least
   * loaded, then longest idle. The reason is computed the same way whatever the indexes hold, so
   * a state restored from a snapshot explains its decisions exactly like the live one.
   */
  findAgent(c: Conversation): { agent: Agent | undefined; reason: RoutingReason } {
    const skipped: RoutingReason['skipped'] = [];
    const ready = this.state.readyByChannel[c.channel];
    const considered = ready?.live ?? 0;
    const preferred = c.preferredAgentId;
    if (preferred) {
      const pa = this.agent(preferred);
      const why = pa ? this.ineligibility(pa, c) : 'unknown_agent';
      if (pa && !why)
        return {
          agent: pa,
          reason: { ruleId: c.ruleId, candidatesConsidered: considered, skipped, summary: 'preferred agent' },
        };
      skipped.push({ agentId: preferred, reason: why ?? 'not_available' });
    }
    let best: Agent | undefined;
    const beats = (l: number, last: number, idx: number) =>
      !best || agentBefore(l, last, idx, load(best), best.lastAssignedAt, best.idx);
    // Agents this decision already changed are judged on their drafts.
    for (const d of this.agents.values()) {
      if (d.id === preferred || this.ineligibility(d, c)) continue;
      if (beats(load(d), d.lastAssignedAt, d.idx)) best = d;
    }
    // Ready agents that meet the requirements, best first: normally the top one takes it.
    const ix = c.ix as ConvIx | undefined;
    const group =
      ix?.grouped === c.requirements
        ? ix.groupOf
        : this.state.groups.get(requirementKey(c.channel, c.requirements));
    if (group && group.agentsLive > 0)
      group.agents.visitInOrder((e) => {
        if (!readyValid(e)) return false;
        const a = e.agent;
        if (a.id === preferred || this.agents.has(a.id) || c.excluded.includes(a.id)) return false;
        if (beats(e.load, e.last, e.idx)) best = a;
        return true;
      });
    // The ready agents on the channel ranked before the winner say why they were passed over; with
    // no group yet (first conversation with these requirements) this walk also finds the winner.
    ready?.heap.visitInOrder((e) => {
      if (!readyValid(e)) return false;
      const a = e.agent;
      if (a.id === preferred || this.agents.has(a.id)) return false;
      if (!beats(e.load, e.last, e.idx)) return true;
      const why = !hasSkills(a, c.requirements)
        ? 'missing_skill'
        : c.excluded.includes(a.id)
          ? 'already_declined'
          : undefined;
      if (!why) {
        best = a;
        return true;
      }
      if (skipped.length < 3) skipped.push({ agentId: a.id, reason: why });
      return skipped.length >= 3 && group !== undefined;
    });
    const chosen = best as Agent | undefined;
    const summary = chosen
      ? `least loaded (${chosen.heldTotal}/${chosen.effectiveTotal}), idle ${Math.max(0, Math.round((this.now - chosen.lastAssignedAt) / 1000))} s`
      : `no eligible agent (${considered} ready on the channel)`;
    return {
      agent: chosen,
      reason: { ruleId: c.ruleId, candidatesConsidered: considered, skipped, summary },
    };
  }

  /** The best waiting conversation an agent can take on any channel with room: priority, then FIFO. */
  findWaiting(a: Agent): Conversation | undefined {
    if (a.presence !== Presence.AVAILABLE || a.heldTotal >= a.effectiveTotal) return undefined;
    let best: Conversation | undefined;
    for (const c of this.convs.values()) {
      if (c.status !== 'waiting' || (best && !conversationBefore(c, best))) continue;
      if (readyOn(a, c.channel) && hasSkills(a, c.requirements) && !c.excluded.includes(a.id)) best = c;
    }
    for (const g of this.state.groupsFor(a)) {
      if (g.live === 0 || !readyOn(a, g.channel)) continue;
      // Usually the top entry decides; walk the heap only when it is stale, drafted or excluded.
      const top = g.heap.peek() as WaitingEntry;
      const t = top.conv;
      if ((t.ix as ConvIx).stamp === top.stamp && !this.convs.has(t.id) && !t.excluded.includes(a.id)) {
        if (!best || conversationBefore(t, best)) best = t;
        continue;
      }
      g.heap.visitInOrder((e) => {
        const c = e.conv;
        if ((c.ix as ConvIx).stamp !== e.stamp) return false;
        if (best && !conversationBefore(c, best)) return true;
        if (this.convs.has(c.id) || c.excluded.includes(a.id)) return false;
        best = c;
        return true;
      });
    }
    return best;
  }
}
