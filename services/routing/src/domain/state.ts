import { applyEvent, type World } from './apply';
import { type CompiledConfig, compileConfig, initialConfig, type QueueConfig } from './config';
import type { RoutingEvent } from './events';
import { LazyHeap } from './lazy-heap';
import {
  type Agent,
  agentBefore,
  type Conversation,
  hasSkills,
  load,
  newAgent,
  newConversation,
  readyOn,
  requirementKey,
} from './model';
import { MAX_CHANNEL, Presence, type SkillRequirement } from './types';

/** Closed conversations are kept this long for reopen, then forgotten. */
export const CLOSED_RETENTION_MS = 7 * 24 * 3600_000;
/** Customers' last agents are kept this long (the longest preferred-agent window allowed). */
export const CUSTOMER_RETENTION_MS = 24 * 3600_000;
export const DEFAULT_IDEMPOTENCY_WINDOW = 10_000;

export interface ReadyEntry {
  agent: Agent;
  stamp: number;
  load: number;
  last: number;
  idx: number;
}

export interface WaitingEntry {
  conv: Conversation;
  stamp: number;
  priority: number;
  atFront: boolean;
  since: number;
  seq: number;
}

/**
 * Conversations with the same channel and requirements wait together, best first; beside them,
 * the ready agents (available, room on the channel) that meet those requirements, best first.
 * A routing decision then looks at the tops of one or a few heaps instead of scanning.
 */
export interface WaitingGroup {
  key: string;
  channel: number;
  requirements: readonly SkillRequirement[];
  heap: LazyHeap<WaitingEntry>;
  live: number;
  agents: LazyHeap<ReadyEntry>;
  agentsLive: number;
}

export interface QueueCounters {
  queueId: string;
  waiting: number;
  byPriority: Map<number, number>;
  oldest: LazyHeap<{ conv: Conversation; stamp: number; since: number; seq: number }>;
  available: number;
  busy: number;
  away: number;
  avgHandleMs: number;
}

export type DeadlineKind = 0 | 1 | 2; // offer expiry, wrap-up end, escalation step
export interface Deadline {
  due: number;
  kind: DeadlineKind;
  id: string;
  stamp: number;
  ref: Agent | Conversation;
}

type AgentClass = 'available' | 'busy' | 'away' | 'offline';

export interface AgentIx {
  stamp: number;
  readyMask: number;
  /** Groups whose ready-agent heap holds this agent. */
  pools: WaitingGroup[];
  cls: AgentClass;
  served: QueueCounters[];
  servedConfig: CompiledConfig | undefined;
  servedSkills: ReadonlyMap<string, number> | undefined;
  /** Memo of the waiting groups whose requirements the agent's skills meet. */
  groups: WaitingGroup[];
  /** Groups seen so far, overall and per first required skill. */
  groupsSeen: number;
  groupsChecked: Map<string, number>;
  groupsSkills: ReadonlyMap<string, number> | undefined;
  /** Ready-pool entries are valid while this matches (changes only when mask, key or skills change). */
  poolStamp: number;
  poolLoad: number;
  poolLast: number;
  poolSkills: ReadonlyMap<string, number> | undefined;
  deadline: boolean;
}

export interface ConvIx {
  stamp: number;
  /** The group of `grouped` (these requirements on this channel): skips building the key. */
  grouped?: readonly SkillRequirement[];
  groupOf?: WaitingGroup;
  deadline?: boolean;
  group: WaitingGroup | undefined;
  queue: QueueCounters | undefined;
  priority: number;
}

export const readyValid = (e: ReadyEntry) => (e.agent.ix as AgentIx).poolStamp === e.stamp;
const waitingValid = (e: { conv: Conversation; stamp: number }) => (e.conv.ix as ConvIx).stamp === e.stamp;
export const deadlineValid = (d: Deadline) => (d.ref.ix as { stamp: number }).stamp === d.stamp;

export const readyLess = (a: ReadyEntry, b: ReadyEntry) =>
  agentBefore(a.load, a.last, a.idx, b.load, b.last, b.idx);
const waitingLess = (a: WaitingEntry, b: WaitingEntry) => {
  if (a.priority !== b.priority) return a.priority > b.priority;
  if (a.atFront !== b.atFront) return a.atFront;
  if (a.since !== b.since) return a.since < b.since;
  return a.seq < b.seq;
};
const deadlineLess = (a: Deadline, b: Deadline) =>
  a.due !== b.due ? a.due < b.due : a.kind !== b.kind ? a.kind < b.kind : a.id < b.id;

/**
 * One tenant's routing state: entities plus the indexes that keep decisions away from full scans.
 * Mutated in place by `evolve`; `decide` only reads it.
 */
export class TenantRoutingState {
  config: CompiledConfig = compileConfig(initialConfig(), 0);
  configured = false;
  readonly agents = new Map<string, Agent>();
  readonly conversations = new Map<string, Conversation>();
  /** Closed conversation ids, oldest close first (pruned after CLOSED_RETENTION_MS). */
  readonly closedOrder = new Map<string, number>();
  /** Customer id to the last agent who served it, oldest first. */
  readonly customers = new Map<string, { agentId: string; at: number }>();
  /** Idempotency window of recent input ids. */
  readonly seen = new Set<string>();
  readonly seenOrder: string[] = [];
  seenHead = 0;
  nextSeq = 1;
  nextAgentIdx = 0;

  // Indexes, rebuilt from the entities (never serialised).
  stamp = 0;
  /** Agents ready on each channel, best first (new groups, explanations). */
  readonly readyByChannel: { heap: LazyHeap<ReadyEntry>; live: number }[] = Array.from(
    { length: MAX_CHANNEL + 1 },
    () => ({ heap: new LazyHeap(readyLess), live: 0 }),
  );
  readonly groups = new Map<string, WaitingGroup>();
  readonly groupList: WaitingGroup[] = [];
  /** Groups by their first required skill ("" for none): an agent only checks groups it may serve. */
  readonly groupsBySkill = new Map<string, WaitingGroup[]>();
  readonly queues = new Map<string, QueueCounters>();
  readonly deadlines = new LazyHeap<Deadline>(deadlineLess);
  liveDeadlines = 0;

  constructor(readonly idempotencyWindow = DEFAULT_IDEMPOTENCY_WINDOW) {}

  group(channel: number, requirements: readonly SkillRequirement[]): WaitingGroup {
    const key = requirementKey(channel, requirements);
    let g = this.groups.get(key);
    if (!g) {
      g = {
        key,
        channel,
        requirements,
        heap: new LazyHeap(waitingLess),
        live: 0,
        agents: new LazyHeap(readyLess),
        agentsLive: 0,
      };
      this.groups.set(key, g);
      for (const e of this.readyByChannel[channel]?.heap.all() ?? []) {
        if (!readyValid(e) || !hasSkills(e.agent, requirements)) continue;
        g.agents.push(e);
        g.agentsLive++;
        (e.agent.ix as AgentIx).pools.push(g);
      }
      this.groupList.push(g);
      const first = requirements[0]?.skill ?? '';
      const list = this.groupsBySkill.get(first);
      if (list) list.push(g);
      else this.groupsBySkill.set(first, [g]);
    }
    return g;
  }

  queue(queueId: string): QueueCounters {
    let q = this.queues.get(queueId);
    if (!q) {
      q = {
        queueId,
        waiting: 0,
        byPriority: new Map(),
        oldest: new LazyHeap((a, b) => (a.since !== b.since ? a.since < b.since : a.seq < b.seq)),
        available: 0,
        busy: 0,
        away: 0,
        avgHandleMs: 0,
      };
      this.queues.set(queueId, q);
    }
    return q;
  }

  /** The waiting groups an agent's skills can serve (memoised; extended as groups appear). */
  groupsFor(a: Agent): WaitingGroup[] {
    const ix = a.ix as AgentIx | undefined;
    if (!ix || ix.groupsSkills !== a.skills) {
      // A draft with changed skills: compute without memo.
      return this.groupList.filter((g) => hasSkills(a, g.requirements));
    }
    if (ix.groupsSeen === this.groupList.length) return ix.groups;
    ix.groupsSeen = this.groupList.length;
    this.extendGroups(a, ix, '');
    for (const skill of a.skills.keys()) this.extendGroups(a, ix, skill);
    return ix.groups;
  }

  private extendGroups(a: Agent, ix: AgentIx, skill: string): void {
    const list = this.groupsBySkill.get(skill);
    if (!list) return;
    for (let i = ix.groupsChecked.get(skill) ?? 0; i < list.length; i++) {
      const g = list[i] as WaitingGroup;
      if (hasSkills(a, g.requirements)) ix.groups.push(g);
    }
    ix.groupsChecked.set(skill, list.length);
  }

  // --- index maintenance ------------------------------------------------------------------------

  private pushDeadline(
    due: number,
    kind: DeadlineKind,
    id: string,
    stamp: number,
    ref: Agent | Conversation,
  ) {
    this.deadlines.push({ due, kind, id, stamp, ref });
    this.liveDeadlines++;
    this.deadlines.compactIfSparse(this.liveDeadlines, deadlineValid);
  }

  reindexAgent(a: Agent): void {
    let ix = a.ix as AgentIx | undefined;
    if (!ix) {
      ix = {
        stamp: 0,
        readyMask: 0,
        pools: [],
        cls: 'offline',
        served: [],
        servedConfig: undefined,
        servedSkills: undefined,
        groups: [],
        groupsSeen: 0,
        groupsChecked: new Map(),
        groupsSkills: a.skills,
        poolStamp: 0,
        poolLoad: -1,
        poolLast: -1,
        poolSkills: undefined,
        deadline: false,
      };
      a.ix = ix;
    }
    if (ix.deadline) this.liveDeadlines--;
    ix.stamp = ++this.stamp;
    let mask = 0;
    for (let ch = 1; ch <= MAX_CHANNEL; ch++) if (readyOn(a, ch)) mask |= 1 << ch;
    const agentLoad = load(a);
    if (ix.groupsSkills !== a.skills) {
      ix.groups = [];
      ix.groupsSeen = 0;
      ix.groupsChecked = new Map();
      ix.groupsSkills = a.skills;
    }
    // Ready heaps hold a copy of the key: re-file only when readiness, key or skills changed.
    if (
      mask !== ix.readyMask ||
      ix.poolSkills !== a.skills ||
      (mask !== 0 && (agentLoad !== ix.poolLoad || a.lastAssignedAt !== ix.poolLast))
    )
      this.repool(a, ix, mask, agentLoad);
    // Supervisor counters of the queues the agent can serve.
    const cls: AgentClass =
      a.presence === Presence.OFFLINE
        ? 'offline'
        : a.presence === Presence.AWAY
          ? 'away'
          : mask !== 0
            ? 'available'
            : 'busy';
    if (cls !== ix.cls || ix.servedConfig !== this.config || ix.servedSkills !== a.skills) {
      for (const q of ix.served) this.count(q, ix.cls, -1);
      if (ix.servedConfig !== this.config || ix.servedSkills !== a.skills) {
        ix.served = [];
        for (const qc of this.config.source.queues)
          if (hasSkills(a, qc.defaultSkills)) ix.served.push(this.queue(qc.id));
        ix.servedConfig = this.config;
        ix.servedSkills = a.skills;
      }
      ix.cls = cls;
      for (const q of ix.served) this.count(q, cls, 1);
    }
    ix.deadline = a.presence === Presence.WRAP_UP;
    if (ix.deadline) this.pushDeadline(a.wrapUpUntil, 1, a.id, ix.stamp, a);
  }

  /** Files a ready agent in the ready heaps of the groups it can serve on the channels it has room on. */
  private repool(a: Agent, ix: AgentIx, mask: number, agentLoad: number): void {
    for (const g of ix.pools) g.agentsLive--;
    const old = ix.pools;
    const oldMask = ix.readyMask;
    ix.poolStamp = ++this.stamp;
    ix.readyMask = mask;
    ix.poolLoad = agentLoad;
    ix.poolLast = a.lastAssignedAt;
    ix.poolSkills = a.skills;
    const pools: WaitingGroup[] = [];
    if (mask !== 0) {
      const entry: ReadyEntry = {
        agent: a,
        stamp: ix.poolStamp,
        load: agentLoad,
        last: a.lastAssignedAt,
        idx: a.idx,
      };
      for (let ch = 1; ch <= MAX_CHANNEL; ch++) {
        if ((mask & (1 << ch)) === 0) continue;
        const r = this.readyByChannel[ch] as { heap: LazyHeap<ReadyEntry>; live: number };
        r.live++;
        r.heap.push(entry);
        r.heap.compactIfSparse(r.live, readyValid);
      }
      for (const g of this.groupsFor(a)) {
        if ((mask & (1 << g.channel)) === 0) continue;
        g.agentsLive++;
        g.agents.push(entry);
        g.agents.compactIfSparse(g.agentsLive, readyValid);
        pools.push(g);
      }
    }
    for (const g of old) g.agents.prune(readyValid);
    for (let ch = 1; ch <= MAX_CHANNEL; ch++) {
      if ((oldMask & (1 << ch)) === 0) continue;
      const r = this.readyByChannel[ch] as { heap: LazyHeap<ReadyEntry>; live: number };
      r.live--;
      r.heap.prune(readyValid);
    }
    ix.pools = pools;
  }

  private count(q: QueueCounters, cls: AgentClass, d: number) {
    if (cls === 'available') q.available += d;
    else if (cls === 'busy') q.busy += d;
    else if (cls === 'away') q.away += d;
  }

  reindexConversation(c: Conversation): void {
    let ix = c.ix as ConvIx | undefined;
    if (!ix) {
      ix = { stamp: 0, group: undefined, queue: undefined, priority: 0 };
      c.ix = ix;
    }
    const oldGroup = ix.group;
    if (oldGroup && ix.queue) {
      oldGroup.live--;
      ix.queue.waiting--;
      const n = (ix.queue.byPriority.get(ix.priority) ?? 1) - 1;
      if (n === 0) ix.queue.byPriority.delete(ix.priority);
      else ix.queue.byPriority.set(ix.priority, n);
    }
    if (ix.deadline) this.liveDeadlines--;
    ix.stamp = ++this.stamp;
    ix.group = undefined;
    ix.queue = undefined;
    if ((c.status === 'offered' || c.status === 'waiting') && ix.grouped !== c.requirements) {
      // Create the group of every routed signature, so the next such conversation finds its agents.
      ix.groupOf = this.group(c.channel, c.requirements);
      ix.grouped = c.requirements;
    }
    if (c.status === 'waiting') {
      const g = ix.groupOf as WaitingGroup;
      g.live++;
      g.heap.push({
        conv: c,
        stamp: ix.stamp,
        priority: c.priority,
        atFront: c.atFront,
        since: c.waitingSince,
        seq: c.seq,
      });
      g.heap.compactIfSparse(g.live, waitingValid);
      const q = this.queue(c.queueId);
      q.waiting++;
      q.byPriority.set(c.priority, (q.byPriority.get(c.priority) ?? 0) + 1);
      q.oldest.push({ conv: c, stamp: ix.stamp, since: c.waitingSince, seq: c.seq });
      q.oldest.compactIfSparse(q.waiting, waitingValid);
      ix.group = g;
      ix.queue = q;
      ix.priority = c.priority;
    }
    const deadline = this.deadlineOf(c);
    if (deadline !== undefined) this.pushDeadline(deadline.due, deadline.kind, c.id, ix.stamp, c);
    if (oldGroup) {
      oldGroup.heap.prune(waitingValid);
    }
  }

  private deadlineOf(c: Conversation): { due: number; kind: DeadlineKind } | undefined {
    const ix = c.ix as ConvIx;
    ix.deadline = false;
    if (c.status === 'offered') {
      ix.deadline = true;
      return { due: c.offerExpiresAt, kind: 0 };
    }
    if (c.status === 'waiting') {
      const due = nextEscalationDue(this.config.queues.get(c.queueId), c);
      if (due !== undefined) {
        ix.deadline = true;
        return { due, kind: 2 };
      }
    }
    return undefined;
  }

  /** Rebuilds every index from the entities (after a config change or a snapshot load). */
  reindexAll(): void {
    for (const a of this.agents.values()) this.reindexAgent(a);
    for (const c of this.conversations.values()) this.reindexConversation(c);
  }

  /** The world `applyEvent` changes: the live entities. */
  readonly world: World = {
    config: () => this.config,
    setConfig: (config) => {
      this.config = config;
      this.configured = true;
    },
    agentForUpdate: (id) => {
      let a = this.agents.get(id);
      if (!a) {
        a = newAgent(id, this.nextAgentIdx++);
        this.agents.set(id, a);
      }
      return a;
    },
    conversationForUpdate: (id) => {
      let c = this.conversations.get(id);
      if (!c) {
        c = newConversation(id);
        this.conversations.set(id, c);
      }
      return c;
    },
    nextSeq: () => this.nextSeq++,
    customerServed: (customerId, agentId, at) => {
      this.customers.delete(customerId);
      this.customers.set(customerId, { agentId, at });
    },
    closed: (id, open) => {
      this.closedOrder.delete(id);
      if (!open) this.closedOrder.set(id, this.conversations.get(id)?.closedAt ?? 0);
    },
    handled: (queueId, ms) => {
      const q = this.queue(queueId);
      q.avgHandleMs = q.avgHandleMs === 0 ? ms : q.avgHandleMs * 0.9 + ms * 0.1;
    },
  };

  remember(eventId: string): void {
    if (this.seen.has(eventId)) return;
    if (this.seenOrder.length < this.idempotencyWindow) {
      this.seenOrder.push(eventId);
    } else {
      this.seen.delete(this.seenOrder[this.seenHead] as string);
      this.seenOrder[this.seenHead] = eventId;
      this.seenHead = (this.seenHead + 1) % this.idempotencyWindow;
    }
    this.seen.add(eventId);
  }

  /** Recent input ids, oldest first. */
  recentIds(): string[] {
    return [...this.seenOrder.slice(this.seenHead), ...this.seenOrder.slice(0, this.seenHead)];
  }

  /**
   * Forgets closed conversations and customers' last agents that can no longer matter. Runs before
   * the events of a new time are applied; fixed retentions keep it independent of the config.
   */
  prune(at: number): void {
    for (const [id, closedAt] of this.closedOrder) {
      if (closedAt + CLOSED_RETENTION_MS > at) break;
      this.closedOrder.delete(id);
      this.conversations.delete(id);
    }
    for (const [id, v] of this.customers) {
      if (v.at + CUSTOMER_RETENTION_MS > at) break;
      this.customers.delete(id);
    }
  }
}

/** When the next time-triggered escalation step of a waiting conversation is due. */
export function nextEscalationDue(queue: QueueConfig | undefined, c: Conversation): number | undefined {
  if (!queue) return undefined;
  for (let j = c.stepsApplied; j < queue.escalation.length; j++) {
    const step = queue.escalation[j];
    if (step && step.afterSeconds > 0) return c.queueEnteredAt + step.afterSeconds * 1000;
  }
  return undefined;
}

export function createState(options: { idempotencyWindow?: number } = {}): TenantRoutingState {
  return new TenantRoutingState(options.idempotencyWindow);
}

/** Applies one event to the state (in place) and returns the state. */
export function evolve(state: TenantRoutingState, e: RoutingEvent): TenantRoutingState {
  return evolveAll(state, [e]);
}

/**
 * Applies events in order, then updates the indexes once for every entity they touched (an agent
 * that frees a slot and takes a new conversation in the same decision is re-indexed once).
 * Gives exactly the state that applying them one by one gives.
 */
export function evolveAll(state: TenantRoutingState, events: readonly RoutingEvent[]): TenantRoutingState {
  const agents = new Set<Agent>();
  const conversations = new Set<Conversation>();
  let all = false;
  let lastAt = Number.NEGATIVE_INFINITY;
  for (const e of events) {
    if (e.at !== lastAt) {
      state.prune(e.at);
      lastAt = e.at;
    }
    applyEvent(state.world, e);
    state.remember(e.causationId);
    if (e.type === 'RoutingConfigApplied') all = true;
    else if (e.type === 'AgentStateChanged') agents.add(state.agents.get(e.agentId) as Agent);
    else if (e.type !== 'RoutingConfigRejected') {
      conversations.add(state.conversations.get(e.conversationId) as Conversation);
      if ('agentId' in e) agents.add(state.agents.get(e.agentId) as Agent);
    }
  }
  if (all) {
    state.reindexAll();
  } else {
    for (const c of conversations) state.reindexConversation(c);
    for (const a of agents) state.reindexAgent(a);
  }
  state.deadlines.prune(deadlineValid);
  return state;
}
