/** Where the ticker gets time and timers from (real ones in production, fakes in tests). */
export interface TickerClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realClock: TickerClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export interface TickerOptions {
  /**
   * Earliest pending deadline (for example `TimerHeap.peekDeadline`): when given, the ticker also
   * wakes at that deadline if it comes before the next interval boundary, so a timer is not kept
   * waiting for the boundary. Still one process-level timer.
   */
  nextDeadline?: () => number;
  /** Least time between two ticks when waking early (batches timers due close together). */
  minGapMs?: number;
}

/**
 * The one process-level tick: calls `onTick(now)` on every multiple of `intervalMs` (and earlier when
 * `nextDeadline` says so); an async onTick finishes before the next tick is planned, so ticks never
 * overlap. One timer for the whole process, however many SLA clocks are pending.
 */
export class Ticker {
  private handle: unknown;
  private running = false;
  private lastTick = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly intervalMs: number,
    private readonly onTick: (now: number) => void | Promise<void>,
    private readonly clock: TickerClock = realClock,
    private readonly options: TickerOptions = {},
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.plan();
  }

  stop(): void {
    this.running = false;
    if (this.handle !== undefined) this.clock.clearTimeout(this.handle);
    this.handle = undefined;
  }

  private plan(): void {
    if (!this.running) return;
    const now = this.clock.now();
    let wait = this.intervalMs - (now % this.intervalMs);
    const next = this.options.nextDeadline?.();
    if (next !== undefined && next < now + wait) {
      const earliest = this.lastTick + (this.options.minGapMs ?? 10);
      wait = Math.max(0, Math.ceil(Math.max(next, earliest) - now));
    }
    this.handle = this.clock.setTimeout(() => void this.fire(), wait);
  }

  private async fire(): Promise<void> {
    this.handle = undefined;
    if (!this.running) return;
    try {
      this.lastTick = this.clock.now();
      await this.onTick(this.lastTick);
    } finally {
      this.plan();
    }
  }
}
