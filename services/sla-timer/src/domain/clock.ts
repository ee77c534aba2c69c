import { create } from '@bufbuild/protobuf';
import {
  msFromTs,
  SlaBreachedSchema,
  SlaClockCancelledSchema,
  SlaClockPausedSchema,
  SlaClockResumedSchema,
  SlaClockSchema,
  SlaClockStartedSchema,
  SlaMetSchema,
  SlaTarget,
  SlaWarningRaisedSchema,
  tsFromMs,
} from '@switchboard/contracts';
import type { BusinessCalendar } from './calendar';
import type { Clock, SlaEvent, SlaPayload } from './types';

const EMPTY: readonly number[] = Object.freeze([]);
const percentSets = new Map<string, readonly number[]>();

/** One shared frozen array per distinct threshold list (millions of clocks share a few). */
export function internPercents(percents: readonly number[]): readonly number[] {
  if (percents.length === 0) return EMPTY;
  const key = percents.join(',');
  let shared = percentSets.get(key);
  if (!shared) {
    if (percentSets.size >= 10_000) percentSets.clear();
    shared = Object.freeze([...percents]);
    percentSets.set(key, shared);
  }
  return shared;
}

/** Stable name of a clock inside its tenant: conversation, target and sequence. */
export function clockKey(conversationId: string, target: SlaTarget, sequence: number): string {
  return `${conversationId}/${SlaTarget[target] ?? target}/${sequence}`;
}

/** Business milliseconds a clock has counted at `t` (calendar undefined counts every hour). */
export function elapsedAt(clock: Clock, t: number, calendar: BusinessCalendar | undefined): number {
  if (clock.countingSinceMs < 0 || t <= clock.countingSinceMs) return clock.elapsedMs;
  const more = calendar ? calendar.businessBetween(clock.countingSinceMs, t) : t - clock.countingSinceMs;
  return clock.elapsedMs + more;
}

/** When a clock counting from `since` with `elapsedMs` already counted reaches a share of its target. */
export function reachAt(
  calendar: BusinessCalendar | undefined,
  since: number,
  elapsedMs: number,
  goalMs: number,
): number {
  const remaining = goalMs - elapsedMs;
  if (remaining <= 0) return since;
  return calendar ? calendar.addBusiness(since, remaining) : since + remaining;
}

export function thresholdMs(targetSeconds: number, percent: number): number {
  return Math.floor((targetSeconds * 1000 * percent) / 100);
}

/** Deadline and warning instants of a running clock. */
export function scheduleOf(
  calendar: BusinessCalendar | undefined,
  since: number,
  elapsedMs: number,
  targetSeconds: number,
  warnAtPercent: readonly number[],
): { dueAtMs: number; warnAtMs: number[] } {
  return {
    dueAtMs: reachAt(calendar, since, elapsedMs, targetSeconds * 1000),
    warnAtMs: warnAtPercent.map((p) => reachAt(calendar, since, elapsedMs, thresholdMs(targetSeconds, p))),
  };
}

/** The next instant at which a clock must fire (warning or breach), -1 when none. */
export function nextDeadline(clock: Clock): number {
  if (clock.closed || clock.dueAtMs < 0) return -1;
  let next = clock.dueAtMs;
  clock.warnAtPercent.forEach((p, i) => {
    const at = clock.warnAtMs[i] ?? -1;
    if (at >= 0 && at < next && !clock.raisedPercent.includes(p)) next = at;
  });
  return next;
}

/** A fired event with the instant it stands for, for ordering. */
export interface Fired {
  at: number;
  event: SlaEvent;
}

/** The warnings and breach a running clock owes at `t`, in the order they happened. */
export function fireDue(clock: Clock, t: number): Fired[] {
  if (clock.closed || clock.dueAtMs < 0) return [];
  const out: Fired[] = [];
  const pending = clock.warnAtPercent
    .map((p, i) => ({ p, at: clock.warnAtMs[i] ?? -1 }))
    .filter((w) => w.at >= 0 && w.at <= t && !clock.raisedPercent.includes(w.p))
    .sort((a, b) => a.at - b.at || a.p - b.p);
  for (const w of pending) {
    out.push({
      at: w.at,
      event: slaEvent(clock, `warning/${w.p}`, '', {
        case: 'slaWarningRaised',
        value: create(SlaWarningRaisedSchema, {
          clock: clockRef(clock),
          thresholdPercent: w.p,
          dueAt: tsFromMs(clock.dueAtMs),
          reachedAt: tsFromMs(w.at),
        }),
      }),
    });
  }
  if (clock.dueAtMs <= t)
    out.push({
      at: clock.dueAtMs,
      event: slaEvent(clock, 'breached', '', {
        case: 'slaBreached',
        value: create(SlaBreachedSchema, { clock: clockRef(clock), breachedAt: tsFromMs(clock.dueAtMs) }),
      }),
    });
  return out;
}

export interface StartSpec {
  tenantId: string;
  conversationId: string;
  target: SlaTarget;
  sequence: number;
  policyId: string;
  targetSeconds: number;
  warnAtPercent: readonly number[];
  calendarId: string;
  pauseWhilePending: boolean;
  originMs: number;
  elapsedMs: number;
  /** -1 to start paused. */
  countingSinceMs: number;
  dueAtMs: number;
  warnAtMs: readonly number[];
  previousPolicyId: string;
}

export function startedEvent(s: StartSpec, causationId: string): SlaEvent {
  const key = clockKey(s.conversationId, s.target, s.sequence);
  const paused = s.countingSinceMs < 0;
  return {
    // A clock starts once; a re-evaluation is a later start of the same clock, named by its cause.
    eventId: `sla/${s.tenantId}/${key}/started${s.previousPolicyId ? `/${causationId}` : ''}`,
    tenantId: s.tenantId,
    conversationId: s.conversationId,
    causationId,
    payload: {
      case: 'slaClockStarted',
      value: create(SlaClockStartedSchema, {
        clock: create(SlaClockSchema, {
          conversationId: s.conversationId,
          target: s.target,
          sequence: s.sequence,
          policyId: s.policyId,
        }),
        targetSeconds: s.targetSeconds,
        dueAt: paused ? undefined : tsFromMs(s.dueAtMs),
        warnAtPercent: [...s.warnAtPercent],
        warnAt: paused ? [] : s.warnAtMs.map(tsFromMs),
        elapsedMs: BigInt(s.elapsedMs),
        countingSince: paused ? undefined : tsFromMs(s.countingSinceMs),
        paused,
        calendarId: s.calendarId,
        pauseWhilePending: s.pauseWhilePending,
        previousPolicyId: s.previousPolicyId,
        originAt: tsFromMs(s.originMs),
      }),
    },
  };
}

export function pausedEvent(clock: Clock, elapsedMs: number, causationId: string): SlaEvent {
  return slaEvent(clock, `paused/${causationId}`, causationId, {
    case: 'slaClockPaused',
    value: create(SlaClockPausedSchema, {
      clock: clockRef(clock),
      elapsedSeconds: Math.floor(elapsedMs / 1000),
      elapsedMs: BigInt(elapsedMs),
    }),
  });
}

export function resumedEvent(
  clock: Clock,
  since: number,
  s: { dueAtMs: number; warnAtMs: number[] },
  causationId: string,
): SlaEvent {
  return slaEvent(clock, `resumed/${causationId}`, causationId, {
    case: 'slaClockResumed',
    value: create(SlaClockResumedSchema, {
      clock: clockRef(clock),
      dueAt: tsFromMs(s.dueAtMs),
      warnAt: s.warnAtMs.map(tsFromMs),
      countingSince: tsFromMs(since),
    }),
  });
}

export function metEvent(clock: Clock, elapsedMs: number, t: number, causationId: string): SlaEvent {
  return slaEvent(clock, 'met', causationId, {
    case: 'slaMet',
    value: create(SlaMetSchema, {
      clock: clockRef(clock),
      elapsedSeconds: Math.floor(elapsedMs / 1000),
      elapsedMs: BigInt(elapsedMs),
      metAt: tsFromMs(t),
    }),
  });
}

export function cancelledEvent(clock: Clock, reason: string, causationId: string): SlaEvent {
  return slaEvent(clock, 'cancelled', causationId, {
    case: 'slaClockCancelled',
    value: create(SlaClockCancelledSchema, { clock: clockRef(clock), reason }),
  });
}

/**
 * Applies an SLA event to a clock (creating it on SlaClockStarted); the single place clock state
 * changes, used by evolve and by decide on its working copies. Returns undefined for an event about
 * a clock it does not know.
 */
export function applyToClock(
  clock: Clock | undefined,
  tenantId: string,
  payload: SlaPayload,
): Clock | undefined {
  if (payload.case === 'slaClockStarted') {
    const v = payload.value;
    const ref = v.clock;
    if (!ref) return clock;
    const paused = v.paused;
    const c: Clock = clock ?? {
      tenantId,
      conversationId: ref.conversationId,
      target: ref.target,
      sequence: ref.sequence,
      key: clockKey(ref.conversationId, ref.target, ref.sequence),
      policyId: '',
      targetSeconds: 0,
      warnAtPercent: EMPTY,
      warnAtMs: EMPTY,
      raisedPercent: EMPTY,
      dueAtMs: -1,
      elapsedMs: 0,
      countingSinceMs: -1,
      calendarId: '',
      pauseWhilePending: false,
      originMs: -1,
      closed: false,
      handle: -1,
    };
    if (c.closed) {
      // Only a conversation id reused after eviction restarts a closed clock: a new life.
      c.closed = false;
      c.raisedPercent = EMPTY;
    }
    c.policyId = ref.policyId;
    c.targetSeconds = v.targetSeconds;
    c.warnAtPercent = internPercents(v.warnAtPercent);
    c.warnAtMs = paused ? EMPTY : v.warnAt.map(msFromTs);
    c.dueAtMs = paused ? -1 : msFromTs(v.dueAt);
    c.elapsedMs = Number(v.elapsedMs);
    c.countingSinceMs = paused ? -1 : msFromTs(v.countingSince);
    c.calendarId = v.calendarId;
    c.pauseWhilePending = v.pauseWhilePending;
    c.originMs = msFromTs(v.originAt);
    return c;
  }
  if (!clock) return undefined;
  switch (payload.case) {
    case 'slaClockPaused':
      clock.elapsedMs = Number(payload.value.elapsedMs);
      clock.countingSinceMs = -1;
      clock.dueAtMs = -1;
      clock.warnAtMs = EMPTY;
      break;
    case 'slaClockResumed':
      clock.countingSinceMs = msFromTs(payload.value.countingSince);
      clock.dueAtMs = msFromTs(payload.value.dueAt);
      clock.warnAtMs = payload.value.warnAt.map(msFromTs);
      break;
    case 'slaWarningRaised':
      if (!clock.raisedPercent.includes(payload.value.thresholdPercent))
        clock.raisedPercent = [...clock.raisedPercent, payload.value.thresholdPercent];
      break;
    case 'slaBreached':
    case 'slaMet':
    case 'slaClockCancelled':
      clock.closed = true;
      clock.countingSinceMs = -1;
      clock.dueAtMs = -1;
      clock.warnAtMs = EMPTY;
      if (payload.case === 'slaMet') clock.elapsedMs = Number(payload.value.elapsedMs);
      break;
  }
  return clock;
}

export function cloneClock(c: Clock): Clock {
  return { ...c, handle: -1 }; // the arrays are immutable, so they can be shared
}

function clockRef(clock: Clock) {
  return create(SlaClockSchema, {
    conversationId: clock.conversationId,
    target: clock.target,
    sequence: clock.sequence,
    policyId: clock.policyId,
  });
}

function slaEvent(clock: Clock, suffix: string, causationId: string, payload: SlaPayload): SlaEvent {
  return {
    eventId: `sla/${clock.tenantId}/${clock.key}/${suffix}`,
    tenantId: clock.tenantId,
    conversationId: clock.conversationId,
    causationId,
    payload,
  };
}
