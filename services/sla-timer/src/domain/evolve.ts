import { applyToClock, nextDeadline } from './clock';
import { decide } from './decide';
import { applyInput } from './facts';
import { compileSlaConfig } from './policy';
import { tenantOf } from './state';
import type { Clock, InputEvent, SlaCommand, SlaEvent, SlaState } from './types';

/**
 * Applies what happened to the state, in place (millions of clocks cannot be copied per event).
 * Two independent folds: inputs change conversation facts (`evolveInput`), SLA events change clocks
 * (`evolve`). Recovery replays both from a snapshot: inputs consumed since, and the SLA changelog.
 */
export function evolve(state: SlaState, event: SlaEvent): SlaState {
  const tenant = tenantOf(state, event.tenantId);
  const list = tenant.clocks.get(event.conversationId) ?? [];
  const ref = event.payload.value.clock;
  if (!ref) return state;
  const existing = list.find((c) => c.target === ref.target && c.sequence === ref.sequence);
  const clock = applyToClock(existing, event.tenantId, event.payload);
  if (!clock) return state;
  if (!existing) {
    list.push(clock);
    tenant.clocks.set(event.conversationId, list);
  }
  syncTimer(state, clock);
  return state;
}

/** Folds an input into the tenant's facts (idempotent on the input event id). */
export function evolveInput(state: SlaState, input: InputEvent, now: number): SlaState {
  const tenant = tenantOf(state, input.tenantId);
  if (tenant.seen.has(input.eventId)) return state;
  tenant.seen.add(input.eventId);
  const t = Math.max(Math.floor(now), tenant.lastInputMs);
  tenant.lastInputMs = t;
  const payload = input.payload;
  if (payload.case === 'tenantConfigApplied') {
    const compiled = compileSlaConfig(payload.value);
    if ('config' in compiled) tenant.config = compiled.config;
  } else {
    const before = tenant.conversations.get(input.aggregateId);
    const after = applyInput(before, input.aggregateId, payload, t);
    if (after && after !== before) {
      tenant.conversations.set(after.id, after);
      if (!after.open && (before?.open ?? true))
        tenant.closedQueue.push({ id: after.id, closedAtMs: after.closedAtMs });
    }
  }
  evictClosed(state, tenant.tenantId, t);
  return state;
}

/** Decides and applies in one step: the live path (returns the events to publish). */
export function handle(state: SlaState, command: SlaCommand, now: number): SlaEvent[] {
  const events = decide(state, command, now);
  if (command.kind === 'input') evolveInput(state, command.input, now);
  for (const e of events) evolve(state, e);
  return events;
}

/** Keeps the timer heap in line with a clock: one timer per running clock, at its next deadline. */
export function syncTimer(state: SlaState, clock: Clock): void {
  const next = nextDeadline(clock);
  if (next < 0) {
    if (clock.handle >= 0) {
      state.timers.cancel(clock.handle);
      state.clockByHandle[clock.handle] = undefined;
      clock.handle = -1;
    }
  } else if (clock.handle >= 0) state.timers.reschedule(clock.handle, next);
  else {
    clock.handle = state.timers.schedule(next);
    state.clockByHandle[clock.handle] = clock;
  }
}

/** Drops conversations closed longer than the retention (a reopen after that starts afresh). */
function evictClosed(state: SlaState, tenantId: string, t: number): void {
  const tenant = tenantOf(state, tenantId);
  const q = tenant.closedQueue;
  let n = 0;
  while (n < q.length && q[n]!.closedAtMs + state.options.closedRetentionMs <= t) {
    const { id, closedAtMs } = q[n]!;
    const facts = tenant.conversations.get(id);
    if (facts && !facts.open && facts.closedAtMs === closedAtMs) {
      tenant.conversations.delete(id);
      const open = (tenant.clocks.get(id) ?? []).filter((c) => !c.closed);
      if (open.length > 0) tenant.clocks.set(id, open);
      else tenant.clocks.delete(id);
    }
    n++;
  }
  if (n > 0) q.splice(0, n);
}
