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
 * per period, not per batch, keeps the projection fast). Marks are durable, so nothing is missed
 * across restarts; cycles never overlap.
 */
export class Refresher {
  private timer: NodeJS.Timeout | undefined;
  private cycle: Promise<void> = Promise.resolve();
  private busy = false;
  private lastKpiAt = 0;
  private readonly now: () => number;

  constructor(private readonly opts: RefresherOptions) {
    this.now = opts.now ?? Date.now;
  }

  start(): void {
    this.timer = setInterval(() => {
      if (this.busy) return;
      this.cycle = this.runCycle(false);
    }, this.opts.intervalMs);
    this.timer.unref();
  }

  /** Stops the timer and runs a last full cycle. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.cycle;
    await this.runCycle(true);
  }

  private async runCycle(forceKpis: boolean): Promise<void> {
    this.busy = true;
    const startedAt = this.now();
    try {
      const keys = await this.opts.store.refreshReadModels();
      if (forceKpis || startedAt - this.lastKpiAt >= this.opts.kpiIntervalMs) {
        this.lastKpiAt = startedAt;
        await this.opts.store.refreshKpis();
      }
      if (keys >= 0) this.opts.onCycle?.({ startedAt, finishedAt: this.now(), keys });
    } catch (err) {
      this.opts.logger.error({ err }, 'read-model refresh failed; retried on the next tick');
    } finally {
      this.busy = false;
    }
  }
}
