import { TimerHeap } from './timer-heap';
import { IdWindow, type SlaState, type SlaStateOptions, type TenantState } from './types';

export const DEFAULT_OPTIONS: SlaStateOptions = {
  seenWindow: 10_000,
  closedRetentionMs: 7 * 24 * 3_600_000,
};

export function createState(options: Partial<SlaStateOptions> = {}, timerCapacity = 1024): SlaState {
  return {
    tenants: new Map(),
    timers: new TimerHeap(timerCapacity),
    clockByHandle: [],
    options: { ...DEFAULT_OPTIONS, ...options },
  };
}

export function tenantOf(state: SlaState, tenantId: string): TenantState {
  let tenant = state.tenants.get(tenantId);
  if (!tenant) {
    tenant = {
      tenantId,
      config: undefined,
      conversations: new Map(),
      clocks: new Map(),
      seen: new IdWindow(state.options.seenWindow),
      lastInputMs: 0,
      closedQueue: [],
    };
    state.tenants.set(tenantId, tenant);
  }
  return tenant;
}

/** Pending timers: one per running clock. */
export function pendingTimers(state: SlaState): number {
  return state.timers.size;
}
