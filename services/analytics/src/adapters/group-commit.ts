export interface GroupCommitOptions<T, R> {
  /**
   * Flush as soon as the pending items weigh this much (events, for the projector); a flush also takes
   * no more than this (but at least one item), so transactions stay bounded.
   */
  maxWeight: number;
  /** Flush at most this long after the oldest pending item arrived. */
  maxDelayMs: number;
  weigh(item: T): number;
  /** Writes every item in one unit (one PostgreSQL transaction); one result per item, in order. */
  flush(items: T[]): Promise<R[]>;
  now?: () => number;
}

interface Waiter<T, R> {
  item: T;
  at: number;
  resolve(r: R): void;
  reject(err: unknown): void;
}

/**
 * Group commit: concurrent callers submit items and wait; one flush at a time writes everything
 * pending together, then settles every caller of that flush — all with their results, or all with
 * the flush's error (nothing of a failed flush was written, so each caller can retry its own part).
 * Items that arrive during a flush go in the next one, which starts as soon as the running one ends
 * if they are heavy enough or have already waited `maxDelayMs`.
 */
export class GroupCommit<T, R> {
  private pending: Waiter<T, R>[] = [];
  private weight = 0;
  private oldestAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private flushing = false;
  private readonly now: () => number;

  constructor(private readonly opts: GroupCommitOptions<T, R>) {
    this.now = opts.now ?? Date.now;
  }

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      if (this.pending.length === 0) this.oldestAt = this.now();
      this.pending.push({ item, resolve, reject, at: this.now() });
      this.weight += this.opts.weigh(item);
      this.schedule();
    });
  }

  /** Items waiting for a flush (not counting the one being written). */
  get size(): number {
    return this.pending.length;
  }

  private schedule(): void {
    if (this.flushing || this.pending.length === 0) return;
    const waited = this.now() - this.oldestAt;
    if (this.weight >= this.opts.maxWeight || waited >= this.opts.maxDelayMs) {
      void this.flush();
      return;
    }
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      if (!this.flushing && this.pending.length > 0) void this.flush();
    }, this.opts.maxDelayMs - waited);
    // Waiting callers keep the process busy anyway; the timer alone must not.
    this.timer.unref();
  }

  private async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    let take = 0;
    let taken = 0;
    while (take < this.pending.length && (take === 0 || taken < this.opts.maxWeight)) {
      const w = this.opts.weigh(this.pending[take]!.item);
      if (take > 0 && taken + w > this.opts.maxWeight) break;
      taken += w;
      take += 1;
    }
    const batch = this.pending.splice(0, take);
    this.weight -= taken;
    this.flushing = true;
    try {
      const results = await this.opts.flush(batch.map((w) => w.item));
      for (const [i, w] of batch.entries()) w.resolve(results[i]!);
    } catch (err) {
      for (const w of batch) w.reject(err);
    } finally {
      this.flushing = false;
      if (this.pending.length > 0) this.oldestAt = this.pending[0]!.at;
      this.schedule();
    }
  }
}
