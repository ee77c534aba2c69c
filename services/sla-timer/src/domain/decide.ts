import { SlaTarget } from '@switchboard/contracts';
import type { BusinessCalendar } from './calendar';
import {
  applyToClock,
  cancelledEvent,
  cloneClock,
  elapsedAt,
  type Fired,
  fireDue,
  metEvent,
  pausedEvent,
  resumedEvent,
  scheduleOf,
  startedEvent,
} from './clock';
import { activeEpisodes, applyInput, type Episode } from './facts';
import {
  type CompiledPolicy,
  compileSlaConfig,
  matchPolicy,
  type SlaConfig,
  type TargetRule,
} from './policy';
import type {
  Clock,
  ConversationFacts,
  InputEvent,
  SlaCommand,
  SlaEvent,
  SlaState,
  TenantState,
} from './types';

/**
 * Decides the SLA events a command causes at `now` (epoch ms), without changing the state.
 * - tick: every warning and breach due at `now`, each carrying the instant it stands for;
 * - input: the conversation's clocks first fire what was due at the input's time, then start, stop,
 *   pause, resume or re-evaluate as the input says. A TenantConfigApplied re-evaluates every clock.
 * Input time never goes back: it is max(now, latest input time of the tenant).
 */
export function decide(state: SlaState, command: SlaCommand, now: number): SlaEvent[] {
  return command.kind === 'tick' ? decideTick(state, now) : decideInput(state, command.input, now);
}

function decideTick(state: SlaState, now: number): SlaEvent[] {
  const fired: (Fired & { key: string; order: number })[] = [];
  state.timers.forEachDue(now, (handle) => {
    const clock = state.clockByHandle[handle];
    if (!clock) return;
    fireDue(clock, now).forEach((f, order) => {
      fired.push({ ...f, key: `${clock.tenantId}\u0000${clock.key}`, order });
    });
  });
  fired.sort((a, b) => a.at - b.at || (a.key < b.key ? -1 : a.key > b.key ? 1 : a.order - b.order));
  return fired.map((f) => f.event);
}

function decideInput(state: SlaState, input: InputEvent, now: number): SlaEvent[] {
  const tenant = state.tenants.get(input.tenantId);
  if (tenant?.seen.has(input.eventId)) return [];
  const t = Math.max(Math.floor(now), tenant?.lastInputMs ?? 0); // whole ms: times go into uint64 fields
  const payload = input.payload;
  if (payload.case === 'tenantConfigApplied') {
    if (!tenant) return [];
    const compiled = compileSlaConfig(payload.value);
    if (!('config' in compiled)) return []; // an invalid config is ignored; the previous stays in force
    const out: SlaEvent[] = [];
    for (const facts of tenant.conversations.values())
      out.push(...reconcile(tenant, facts, undefined, t, tenant.config, compiled.config, input));
    return out;
  }
  const facts = tenant?.conversations.get(input.aggregateId);
  const after = applyInput(facts, input.aggregateId, payload, t);
  if (!after || !tenant) return [];
  return reconcile(tenant, after, payload.case, t, tenant.config, tenant.config, input);
}

/** Brings one conversation's clocks in line with its facts and the policy in force. */
function reconcile(
  tenant: TenantState,
  facts: ConversationFacts,
  inputCase: string | undefined,
  t: number,
  oldConfig: SlaConfig | undefined,
  newConfig: SlaConfig | undefined,
  input: InputEvent,
): SlaEvent[] {
  const cause = input.eventId;
  const out: SlaEvent[] = [];
  const clocks = (tenant.clocks.get(facts.id) ?? []).map(cloneClock);
  const emit = (clock: Clock | undefined, e: SlaEvent) => {
    out.push(e);
    return applyToClock(clock, tenant.tenantId, e.payload);
  };
  const catchUp = (clock: Clock) => {
    for (const f of fireDue(clock, t)) emit(clock, f.event);
  };
  clocks.forEach(catchUp);

  const episodes = activeEpisodes(facts);
  const policy = facts.open ? matchPolicy(newConfig, facts) : undefined;
  const pending = facts.pendingSinceMs >= 0;
  for (const clock of clocks) {
    if (clock.closed) continue;
    const episode = episodes.find((e) => e.target === clock.target && e.sequence === clock.sequence);
    const oldCal = calendarOf(oldConfig, clock.calendarId);
    if (!episode) {
      if (endsAsMet(clock.target, inputCase))
        emit(clock, metEvent(clock, elapsedAt(clock, t, oldCal), t, cause));
      else emit(clock, cancelledEvent(clock, cancelReason(inputCase), cause));
      continue;
    }
    const rule = policy?.targets.get(clock.target);
    if (!policy || !rule) {
      emit(clock, cancelledEvent(clock, 'policy_no_longer_applies', cause));
      continue;
    }
    if (changed(clock, policy, rule, oldConfig, newConfig)) {
      const newCal = calendarOf(newConfig, policy.calendarId);
      const elapsed = elapsedAt(clock, t, oldCal);
      emit(
        clock,
        startedEvent(
          startSpec(tenant, clock, policy, rule, newCal, elapsed, pending, t, clock.policyId),
          cause,
        ),
      );
      catchUp(clock);
      continue;
    }
    const shouldPause = pending && clock.pauseWhilePending;
    if (shouldPause && clock.countingSinceMs >= 0)
      emit(clock, pausedEvent(clock, elapsedAt(clock, t, oldCal), cause));
    else if (!shouldPause && clock.countingSinceMs < 0) {
      const newCal = calendarOf(newConfig, clock.calendarId);
      emit(
        clock,
        resumedEvent(
          clock,
          t,
          scheduleOf(newCal, t, clock.elapsedMs, clock.targetSeconds, clock.warnAtPercent),
          cause,
        ),
      );
      catchUp(clock);
    }
  }

  for (const episode of episodes) {
    if (clocks.some((c) => c.target === episode.target && c.sequence === episode.sequence)) continue;
    const rule = policy?.targets.get(episode.target);
    if (!policy || !rule) continue;
    const started = lateStart(
      tenant,
      facts,
      episode,
      policy,
      rule,
      calendarOf(newConfig, policy.calendarId),
      t,
    );
    const clock = emit(undefined, startedEvent(started, cause));
    if (clock) {
      clocks.push(clock);
      catchUp(clock);
    }
  }
  return out;
}

/** A new clock counts from its episode's origin (which may lie before the policy matched). */
function lateStart(
  tenant: TenantState,
  facts: ConversationFacts,
  episode: Episode,
  policy: CompiledPolicy,
  rule: TargetRule,
  cal: BusinessCalendar | undefined,
  t: number,
) {
  const origin = Math.min(episode.originMs, t);
  const pauseNow = facts.pendingSinceMs >= 0 && policy.pauseWhilePending;
  const base = {
    tenantId: tenant.tenantId,
    conversationId: facts.id,
    target: episode.target,
    sequence: episode.sequence,
    policyId: policy.id,
    targetSeconds: rule.seconds,
    warnAtPercent: rule.warnAtPercent,
    calendarId: policy.calendarId,
    pauseWhilePending: policy.pauseWhilePending,
    originMs: origin,
    previousPolicyId: '',
  };
  if (pauseNow) {
    const until = Math.max(origin, Math.min(facts.pendingSinceMs, t));
    const elapsed = cal ? cal.businessBetween(origin, until) : until - origin;
    return { ...base, elapsedMs: elapsed, countingSinceMs: -1, dueAtMs: -1, warnAtMs: [] };
  }
  return {
    ...base,
    elapsedMs: 0,
    countingSinceMs: origin,
    ...scheduleOf(cal, origin, 0, rule.seconds, rule.warnAtPercent),
  };
}

function startSpec(
  tenant: TenantState,
  clock: Clock,
  policy: CompiledPolicy,
  rule: TargetRule,
  cal: BusinessCalendar | undefined,
  elapsed: number,
  pending: boolean,
  t: number,
  previousPolicyId: string,
) {
  const paused = pending && policy.pauseWhilePending;
  return {
    tenantId: tenant.tenantId,
    conversationId: clock.conversationId,
    target: clock.target,
    sequence: clock.sequence,
    policyId: policy.id,
    targetSeconds: rule.seconds,
    warnAtPercent: rule.warnAtPercent,
    calendarId: policy.calendarId,
    pauseWhilePending: policy.pauseWhilePending,
    originMs: clock.originMs,
    previousPolicyId,
    elapsedMs: elapsed,
    countingSinceMs: paused ? -1 : t,
    ...(paused
      ? { dueAtMs: -1, warnAtMs: [] as number[] }
      : scheduleOf(cal, t, elapsed, rule.seconds, rule.warnAtPercent)),
  };
}

/** Whether the policy in force for a clock differs from the one it runs under. */
function changed(
  clock: Clock,
  policy: CompiledPolicy,
  rule: TargetRule,
  oldConfig: SlaConfig | undefined,
  newConfig: SlaConfig | undefined,
): boolean {
  return (
    clock.policyId !== policy.id ||
    clock.targetSeconds !== rule.seconds ||
    clock.calendarId !== policy.calendarId ||
    clock.pauseWhilePending !== policy.pauseWhilePending ||
    clock.warnAtPercent.join(',') !== rule.warnAtPercent.join(',') ||
    (clock.calendarId !== '' &&
      oldConfig?.calendarFingerprints.get(clock.calendarId) !==
        newConfig?.calendarFingerprints.get(clock.calendarId))
  );
}

function endsAsMet(target: SlaTarget, inputCase: string | undefined): boolean {
  switch (target) {
    case SlaTarget.FIRST_RESPONSE:
    case SlaTarget.NEXT_RESPONSE:
      return inputCase === 'agentMessageSent';
    case SlaTarget.RESOLUTION:
      return inputCase === 'conversationResolved';
    case SlaTarget.TIME_TO_ASSIGNMENT:
      return inputCase === 'conversationAssigned';
    default:
      return false;
  }
}

function cancelReason(inputCase: string | undefined): string {
  switch (inputCase) {
    case 'conversationAbandoned':
      return 'abandoned';
    case 'conversationResolved':
      return 'resolved';
    case 'conversationDequeued':
      return 'dequeued';
    default:
      return 'ended';
  }
}

function calendarOf(config: SlaConfig | undefined, id: string): BusinessCalendar | undefined {
  return id ? config?.calendars.get(id) : undefined;
}
