import type { Logger } from 'pino';
import type { ProjectionStore } from './pg/projection-store';

export interface RefreshCycle {
  /** Every batch committed before this instant is visible in the read models after the cycle. */
  startedAt: number;
  finishedAt: number;
  keys: number;
}

export interface RefresherOptions {
  store: ProjectionStore;
  logger: Logger;
  /** Period of read-model refreshes (dirty conversations and agents). */
  intervalMs: number;
  /** Period of KPI refreshes (dirty 15-minute intervals); a multiple of intervalMs in practice. */
  kpiIntervalMs: number;
  onCycle?(c: RefreshCycle): void;
  now?: () => number;
}

/**
 * Drains the dirty marks the projection writes with each batch: read-model rows every `intervalMs`,
 * KPI intervals every `kpiIntervalMs` (an interval can hold many conversations; recomputing it once
 * per period, not per batch, keeps the projection fast). The two run as separate loops, so a KPI
 * recompute never holds back the rows (the KPI loop re-reads whatever the row loop marks dirty). Each
 * loop waits `period − its last cycle's duration`, never overlapping itself. Marks are durable, so
 * nothing is missed across restarts.
 */
export class Refresher {
  private rows: Loop | undefined;
  private kpis: Loop | undefined;
  private readonly now: () => number;

  constructor(private readonly opts: RefresherOptions) {
    this.now = opts.now ?? Date.now;
  }

  start(): void {
    this.rows = new Loop(this.opts.intervalMs, this.now, () => this.refreshRows());
    this.kpis = new Loop(this.opts.kpiIntervalMs, this.now, () => this.refreshKpis());
  }

  /** Stops both loops and runs a last full cycle. */
  async stop(): Promise<void> {
    await Promise.all([this.rows?.stop(), this.kpis?.stop()]);
    await this.refreshRows();
    await this.refreshKpis();
  }

  private async refreshRows(): Promise<void> {
    const startedAt = this.now();
    try {
      const keys = await this.opts.store.refreshReadModels();
      if (keys >= 0) this.opts.onCycle?.({ startedAt, finishedAt: this.now(), keys });
    } catch (err) {
      this.opts.logger.error({ err }, 'read-model refresh failed; retried on the next tick');
    }
  }

  private async refreshKpis(): Promise<void> {
    try {
      await this.opts.store.refreshKpis();
    } catch (err) {
      this.opts.logger.error({ err }, 'KPI refresh failed; retried on the next tick');
    }
  }
}

/** Runs `cycle` every `periodMs` (minus the cycle's own duration), one at a time. */
class Loop {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly periodMs: number,
    private readonly now: () => number,
    private readonly cycle: () => Promise<void>,
  ) {
    this.arm(periodMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private arm(ms: number): void {
    this.timer = setTimeout(() => {
      const started = this.now();
      this.running = this.cycle().then(() => {
        if (!this.stopped) this.arm(Math.max(0, this.periodMs - (this.now() - started)));
      });
    }, ms);
    this.timer.unref();
  }
}
