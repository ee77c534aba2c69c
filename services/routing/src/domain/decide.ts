import type { CommandOf, RoutingCommand } from './commands';
import { evaluateRules, mergeRequirements, queueDefaults, type RouteTarget } from './config';
import type { EscalationTrigger, EventOf, RoutingEvent } from './events';
import type { Agent, Conversation } from './model';
import { CLOSED_RETENTION_MS, type Deadline, deadlineValid, type TenantRoutingState } from './state';
import { Tx } from './tx';
import { type ChannelCapacity, MAX_CHANNEL, Presence, type SkillLevel, type SkillRequirement } from './types';
import { validateRoutingConfig } from './validate-config';

/**
 * Decides what a command means for the tenant: the routing events, in order. Pure: reads `state`,
 * never changes it; `now` is the only time it knows. Apply the events with `evolve`.
 */
export function decide(state: TenantRoutingState, command: RoutingCommand, now: number): RoutingEvent[] {
  if (command.type !== 'Tick' && state.seen.has(command.eventId)) return [];
  const tx = new Tx(state, now);
  if (command.type === 'Tick') {
    tick(tx);
  } else {
    tx.causedBy(command.eventId);
    handle(tx, command);
  }
  return tx.events;
}

function handle(tx: Tx, cmd: Exclude<RoutingCommand, { type: 'Tick' }>): void {
  switch (cmd.type) {
    case 'ApplyTenantConfig': {
      const problems = validateRoutingConfig(cmd.config);
      if (problems.length > 0) tx.emit({ type: 'RoutingConfigRejected', version: cmd.version, problems });
      else tx.emit({ type: 'RoutingConfigApplied', version: cmd.version, config: cmd.config });
      return;
    }
    case 'StartConversation':
    case 'HandOffFromBot':
      start(tx, cmd);
      return;
    case 'ResolveConversation':
    case 'AbandonConversation':
      end(tx, cmd.conversationId, cmd.type === 'ResolveConversation' ? 'resolved' : 'abandoned');
      return;
    case 'ReopenConversation': {
      const c = tx.conv(cmd.conversationId);
      if (!c || (c.status !== 'completed' && c.status !== 'abandoned') || forgotten(tx, c)) return;
      enqueue(tx, c.id, c, {
        queueId: c.queueId,
        priority: c.priority,
        requirements: c.requirements,
        ruleId: c.ruleId,
        preferredAgentId: c.lastAgentId,
        waitingSince: tx.now,
        queueEnteredAt: tx.now,
        stepsApplied: 0,
        atFront: false,
      });
      return;
    }
    case 'SetPresence':
      setPresence(tx, cmd);
      return;
    case 'SetSkills':
    case 'SetCapacity': {
      const a = tx.agent(cmd.agentId);
      if (cmd.type === 'SetSkills') stateChanged(tx, cmd.agentId, a, { skills: normaliseSkills(cmd.skills) });
      else
        stateChanged(tx, cmd.agentId, a, {
          capacity: normaliseCapacity(cmd.channels),
          totalCapacity: Math.max(0, Math.floor(cmd.total)),
        });
      fill(tx, cmd.agentId);
      return;
    }
    case 'AcceptOffer': {
      const c = tx.conv(cmd.conversationId);
      if (c?.status !== 'offered' || c.offerId !== cmd.offerId || c.agentId !== cmd.agentId) return;
      tx.emit({
        type: 'ConversationAssigned',
        conversationId: c.id,
        offerId: c.offerId,
        agentId: c.agentId,
        queueId: c.queueId,
        channel: c.channel,
      });
      return;
    }
    case 'DeclineOffer': {
      const c = tx.conv(cmd.conversationId);
      if (c?.status !== 'offered' || c.offerId !== cmd.offerId || c.agentId !== cmd.agentId) return;
      tx.emit({
        type: 'OfferDeclined',
        conversationId: c.id,
        offerId: c.offerId,
        agentId: c.agentId,
        reason: cmd.reason,
      });
      route(tx, c.id);
      fill(tx, cmd.agentId);
      return;
    }
    case 'CompleteConversation':
      complete(tx, cmd);
      return;
    case 'TransferConversation':
      transfer(tx, cmd);
      return;
    case 'EscalateOnSla': {
      const c = tx.conv(cmd.conversationId);
      if (c?.status !== 'waiting') return;
      const steps = tx.config().queues.get(c.queueId)?.escalation ?? [];
      const flag = cmd.kind === 'warning' ? 'onSlaWarning' : 'onSlaBreach';
      const j = steps.findIndex((s, i) => i >= c.stepsApplied && s[flag]);
      if (j >= 0) escalate(tx, c.id, j, cmd.kind === 'warning' ? 'sla_warning' : 'sla_breach');
      return;
    }
  }
}

// --- conversations --------------------------------------------------------------------------------

/** A closed conversation past retention: `evolve` drops it before applying events of this time. */
function forgotten(tx: Tx, c: Conversation): boolean {
  return (c.status === 'completed' || c.status === 'abandoned') && c.closedAt + CLOSED_RETENTION_MS <= tx.now;
}

interface Placement {
  queueId: string;
  priority: number;
  requirements: readonly SkillRequirement[];
  ruleId: string;
  preferredAgentId: string;
  waitingSince: number;
  queueEnteredAt: number;
  stepsApplied: number;
  atFront: boolean;
}

function start(tx: Tx, cmd: CommandOf<'StartConversation'> | CommandOf<'HandOffFromBot'>): void {
  const existing = tx.conv(cmd.conversationId);
  if (existing && existing.status !== 'completed' && existing.status !== 'abandoned') return;
  if (!cmd.channel) return;
  const target: RouteTarget = evaluateRules(tx.config(), cmd);
  const window = Math.min(tx.config().source.offers.preferredAgentWindowSeconds, 86_400) * 1000;
  const last = cmd.customer.id ? tx.customerAgent(cmd.customer.id) : undefined;
  const preferred = last && last.at + window > tx.now ? last.agentId : '';
  enqueue(
    tx,
    cmd.conversationId,
    { channel: cmd.channel, customerId: cmd.customer.id, customerTier: cmd.customer.tier },
    {
      ...target,
      preferredAgentId: preferred,
      waitingSince: tx.now,
      queueEnteredAt: tx.now,
      stepsApplied: 0,
      atFront: false,
    },
  );
}

/** Queues a conversation, then offers it at once when an agent can take it. */
function enqueue(
  tx: Tx,
  conversationId: string,
  who: Pick<Conversation, 'channel' | 'customerId' | 'customerTier'>,
  p: Placement,
): void {
  const queued = tx.emit({
    type: 'ConversationQueued',
    conversationId,
    queueId: p.queueId,
    priority: p.priority,
    requiredSkills: [...p.requirements],
    channel: who.channel,
    customerId: who.customerId,
    customerTier: who.customerTier,
    reason: { ruleId: p.ruleId, candidatesConsidered: 0, skipped: [], summary: '' },
    atFront: p.atFront,
    waitingSince: p.waitingSince,
    preferredAgentId: p.preferredAgentId,
    escalationStepsApplied: p.stepsApplied,
    queueEnteredAt: p.queueEnteredAt,
  }) as EventOf<'ConversationQueued'>;
  const c = tx.conv(conversationId) as Conversation;
  const { agent, reason } = tx.findAgent(c);
  queued.reason = agent ? { ...reason, summary: `offered: ${reason.summary}` } : reason;
  if (agent) offer(tx, c, agent, reason);
}

/** Offers a waiting conversation to the best agent, if any. */
function route(tx: Tx, conversationId: string): void {
  const c = tx.conv(conversationId);
  if (c?.status !== 'waiting') return;
  const { agent, reason } = tx.findAgent(c);
  if (agent) offer(tx, c, agent, reason);
}

function offer(tx: Tx, c: Conversation, a: Agent, reason: EventOf<'ConversationOffered'>['reason']): void {
  tx.emit({
    type: 'ConversationOffered',
    conversationId: c.id,
    offerId: tx.nextEventId(),
    agentId: a.id,
    queueId: c.queueId,
    channel: c.channel,
    expiresAt: tx.now + tx.config().source.offers.offerTimeoutSeconds * 1000,
    reason,
  });
}

/** Lets an agent take the best waiting conversations it can serve, until it is full. */
function fill(tx: Tx, agentId: string): void {
  for (;;) {
    const a = tx.agent(agentId);
    if (!a) return;
    const c = tx.findWaiting(a);
    if (!c) return;
    offer(tx, c, a, {
      ruleId: c.ruleId,
      candidatesConsidered: 1,
      skipped: [],
      summary: 'agent free: best waiting conversation it can serve',
    });
  }
}

function end(tx: Tx, conversationId: string, reason: 'resolved' | 'abandoned'): void {
  const c = tx.conv(conversationId);
  if (!c) return;
  if (c.status === 'waiting') {
    tx.emit({ type: 'ConversationDequeued', conversationId: c.id, queueId: c.queueId, reason });
  } else if (c.status === 'offered' || c.status === 'active') {
    const agentId = c.agentId;
    tx.emit({ type: 'ConversationReleased', conversationId: c.id, agentId, reason, wrapUpSeconds: 0 });
    fill(tx, agentId);
  }
}

function complete(tx: Tx, cmd: CommandOf<'CompleteConversation'>): void {
  const c = tx.conv(cmd.conversationId);
  if (c?.status !== 'active' || c.agentId !== cmd.agentId) return;
  const a = tx.agent(cmd.agentId) as Agent;
  const wrap = Math.max(0, Math.floor(cmd.wrapUpSeconds)) || tx.config().source.offers.defaultWrapUpSeconds;
  const wraps = wrap > 0 && (a.presence === Presence.AVAILABLE || a.presence === Presence.WRAP_UP);
  tx.emit({
    type: 'ConversationReleased',
    conversationId: c.id,
    agentId: a.id,
    reason: 'completed',
    wrapUpSeconds: wraps ? wrap : 0,
  });
  if (wraps) {
    const until = Math.max(tx.now + wrap * 1000, a.wrapUpUntil);
    stateChanged(tx, a.id, a, { presence: Presence.WRAP_UP, wrapUpUntil: until, reason: 'wrap_up' });
  } else {
    fill(tx, a.id);
  }
}

function transfer(tx: Tx, cmd: CommandOf<'TransferConversation'>): void {
  const c = tx.conv(cmd.conversationId);
  if (c?.status !== 'active' || c.agentId !== cmd.agentId) return;
  const toQueue = 'queueId' in cmd.target ? cmd.target.queueId : undefined;
  const toAgent = 'agentId' in cmd.target ? cmd.target.agentId : undefined;
  if (toQueue !== undefined && !tx.config().queues.has(toQueue)) return;
  if (toAgent !== undefined && (toAgent === cmd.agentId || !tx.agent(toAgent))) return;
  tx.emit({
    type: 'ConversationReleased',
    conversationId: c.id,
    agentId: cmd.agentId,
    reason: 'transferred',
    wrapUpSeconds: 0,
  });
  tx.emit({
    type: 'ConversationTransferred',
    conversationId: c.id,
    fromAgentId: cmd.agentId,
    target: cmd.target,
    note: cmd.note,
  });
  const base =
    toQueue !== undefined
      ? queueDefaults(tx.config(), toQueue)
      : { queueId: c.queueId, priority: c.priority, requirements: c.requirements, ruleId: c.ruleId };
  enqueue(tx, c.id, c, {
    ...base,
    preferredAgentId: toAgent ?? '',
    waitingSince: tx.now,
    queueEnteredAt: toQueue !== undefined ? tx.now : c.queueEnteredAt,
    stepsApplied: toQueue !== undefined ? 0 : c.stepsApplied,
    atFront: false,
  });
  fill(tx, cmd.agentId);
}

/** Applies escalation steps from the next unapplied one through `upTo` (cumulative, bullseye). */
function escalate(tx: Tx, conversationId: string, upTo: number, trigger: EscalationTrigger): void {
  for (let k = (tx.conv(conversationId) as Conversation).stepsApplied; k <= upTo; k++) {
    const c = tx.conv(conversationId) as Conversation;
    const step = tx.config().queues.get(c.queueId)?.escalation[k];
    if (!step) break;
    let requirements = c.requirements.map((r) =>
      step.relaxMinProficiencyBy > 0
        ? { ...r, minProficiency: Math.max(1, r.minProficiency - step.relaxMinProficiencyBy) }
        : r,
    );
    if (step.dropOptionalSkills) requirements = requirements.filter((r) => !r.optional);
    let priority = c.priority + step.raisePriorityBy;
    const overflow = step.overflowQueueId && tx.config().queues.has(step.overflowQueueId);
    if (overflow) {
      const target = queueDefaults(tx.config(), step.overflowQueueId);
      requirements = mergeRequirements(target.requirements, []);
      priority = Math.max(priority, target.priority);
    }
    tx.emit({
      type: 'ConversationEscalated',
      conversationId,
      queueId: c.queueId,
      stepIndex: k,
      trigger,
      newQueueId: overflow ? step.overflowQueueId : c.queueId,
      newPriority: priority,
      requiredSkills: requirements,
    });
    if (overflow) break;
  }
  route(tx, conversationId);
}

// --- agents ---------------------------------------------------------------------------------------

function capacityList(a: Agent | undefined): ChannelCapacity[] {
  const out: ChannelCapacity[] = [];
  if (!a) return out;
  for (let ch = 1; ch <= MAX_CHANNEL; ch++) {
    const capacity = a.capacity[ch] ?? 0;
    if (capacity > 0) out.push({ channel: ch, capacity });
  }
  return out;
}

function stateChanged(
  tx: Tx,
  agentId: string,
  a: Agent | undefined,
  change: Partial<
    Pick<
      EventOf<'AgentStateChanged'>,
      'presence' | 'skills' | 'capacity' | 'totalCapacity' | 'wrapUpUntil' | 'reason'
    >
  >,
): void {
  tx.emit({
    type: 'AgentStateChanged',
    agentId,
    presence: change.presence ?? a?.presence ?? Presence.OFFLINE,
    skills: change.skills ?? [...(a?.skillList ?? [])],
    capacity: change.capacity ?? capacityList(a),
    totalCapacity: change.totalCapacity ?? a?.totalCapacity ?? 0,
    wrapUpUntil: change.wrapUpUntil ?? (change.presence === undefined ? (a?.wrapUpUntil ?? 0) : 0),
    reason: change.reason ?? 'agent_command',
  });
}

function normaliseSkills(skills: SkillLevel[]): SkillLevel[] {
  const bySkill = new Map<string, number>();
  for (const s of skills)
    if (s.skill) bySkill.set(s.skill, Math.min(5, Math.max(1, Math.floor(s.proficiency))));
  return [...bySkill.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([skill, proficiency]) => ({ skill, proficiency }));
}

function normaliseCapacity(channels: ChannelCapacity[]): ChannelCapacity[] {
  const byChannel = new Map<number, number>();
  for (const c of channels)
    if (c.channel >= 1 && c.channel <= MAX_CHANNEL)
      byChannel.set(c.channel, Math.max(0, Math.floor(c.capacity)));
  return [...byChannel.entries()]
    .filter(([, capacity]) => capacity > 0)
    .sort(([a], [b]) => a - b)
    .map(([channel, capacity]) => ({ channel, capacity }));
}

function setPresence(tx: Tx, cmd: CommandOf<'SetPresence'>): void {
  const p = cmd.presence;
  if (p !== Presence.AVAILABLE && p !== Presence.AWAY && p !== Presence.OFFLINE) return;
  const a = tx.agent(cmd.agentId);
  if (a && a.presence === p) return;
  stateChanged(tx, cmd.agentId, a, { presence: p });
  if (p === Presence.AVAILABLE) {
    fill(tx, cmd.agentId);
    return;
  }
  if (p !== Presence.OFFLINE || !a) return;
  // Going offline hands everything back: re-queued at the front of its priority, never lost.
  const held = [...a.holding].map((id) => tx.conv(id) as Conversation).sort((x, y) => x.seq - y.seq);
  for (const c of held) {
    tx.emit({
      type: 'ConversationReleased',
      conversationId: c.id,
      agentId: a.id,
      reason: 'agent_offline',
      wrapUpSeconds: 0,
    });
    enqueue(tx, c.id, c, {
      queueId: c.queueId,
      priority: c.priority,
      requirements: c.requirements,
      ruleId: c.ruleId,
      preferredAgentId: '',
      waitingSince: c.waitingSince,
      queueEnteredAt: c.queueEnteredAt,
      stepsApplied: c.stepsApplied,
      atFront: true,
    });
  }
}

// --- time -----------------------------------------------------------------------------------------

function tick(tx: Tx): void {
  const due: Deadline[] = [];
  tx.state.deadlines.visitInOrder((d) => {
    if (d.due > tx.now) return true;
    if (deadlineValid(d)) due.push(d);
    return false;
  });
  for (const d of due) {
    if (d.kind === 0) expireOffer(tx, d.id);
    else if (d.kind === 1) endWrapUp(tx, d.id);
    else escalateByTime(tx, d.id);
  }
}

function expireOffer(tx: Tx, conversationId: string): void {
  const c = tx.conv(conversationId);
  if (c?.status !== 'offered' || c.offerExpiresAt > tx.now) return;
  const a = tx.agent(c.agentId) as Agent;
  tx.causedBy(`${c.offerId}:expired`);
  const missed = a.missed + 1;
  tx.emit({
    type: 'OfferExpired',
    conversationId: c.id,
    offerId: c.offerId,
    agentId: a.id,
    consecutiveMissed: missed,
  });
  const max = tx.config().source.offers.maxMissedOffers;
  if (max > 0 && missed >= max && a.presence === Presence.AVAILABLE)
    stateChanged(tx, a.id, tx.agent(a.id), { presence: Presence.AWAY, reason: 'missed_offers' });
  route(tx, c.id);
  fill(tx, a.id);
}

function endWrapUp(tx: Tx, agentId: string): void {
  const a = tx.agent(agentId);
  if (!a || a.presence !== Presence.WRAP_UP || a.wrapUpUntil > tx.now) return;
  tx.causedBy(`${agentId}:wrap-up:${a.wrapUpUntil}`);
  stateChanged(tx, agentId, a, { presence: Presence.AVAILABLE, reason: 'wrap_up_ended' });
  fill(tx, agentId);
}

function escalateByTime(tx: Tx, conversationId: string): void {
  const c = tx.conv(conversationId);
  if (c?.status !== 'waiting') return;
  const steps = tx.config().queues.get(c.queueId)?.escalation ?? [];
  const waited = tx.now - c.queueEnteredAt;
  let upTo = -1;
  for (let j = c.stepsApplied; j < steps.length; j++) {
    const s = steps[j];
    if (s && s.afterSeconds > 0 && s.afterSeconds * 1000 <= waited) upTo = j;
  }
  if (upTo < 0) return;
  tx.causedBy(`${c.id}:escalation:${c.queueId}:${c.stepsApplied}:${c.queueEnteredAt}`);
  escalate(tx, c.id, upTo, 'wait_time');
}

/** When the next time-driven work is due (offer expiry, wrap-up end, escalation), if any. */
export function nextDeadline(state: TenantRoutingState): number | undefined {
  let due: number | undefined;
  state.deadlines.visitInOrder((d) => {
    if (!deadlineValid(d)) return false;
    due = d.due;
    return true;
  });
  return due;
}
