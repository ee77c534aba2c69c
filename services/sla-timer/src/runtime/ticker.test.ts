import { Ticker, type TickerClock } from './ticker';

/** A manual clock: time moves only when the test says so. */
class ManualClock implements TickerClock {
  t = 1_000_050;
  private timers: { at: number; fn: () => void; id: number }[] = [];
  private ids = 0;
  now = () => this.t;
  setTimeout = (fn: () => void, ms: number) => {
    const id = ++this.ids;
    this.timers.push({ at: this.t + ms, fn, id });
    return id;
  };
  clearTimeout = (id: unknown) => {
    this.timers = this.timers.filter((x) => x.id !== id);
  };
  pendingTimers = () => this.timers.length;
  async advanceTo(to: number) {
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at);
      const next = this.timers[0];
      if (!next || next.at > to) break;
      this.timers.shift();
      this.t = next.at;
      next.fn();
      await new Promise((r) => setImmediate(r));
    }
    this.t = to;
  }
}

describe('Ticker', () => {
  it('given a 100 ms interval, when time passes, then it ticks on each multiple of the interval with one timer', async () => {
    const clock = new ManualClock();
    const ticks: number[] = [];
    const ticker = new Ticker(100, (now) => void ticks.push(now), clock);
    ticker.start();
    expect(clock.pendingTimers()).toBe(1);
    await clock.advanceTo(1_000_420);
    expect(ticks).toEqual([1_000_100, 1_000_200, 1_000_300, 1_000_400]);
    expect(clock.pendingTimers()).toBe(1);
    ticker.stop();
    expect(clock.pendingTimers()).toBe(0);
    await clock.advanceTo(1_001_000);
    expect(ticks).toHaveLength(4);
  });

  it('given a slow async tick, when it runs, then the next tick waits for it', async () => {
    const clock = new ManualClock();
    let release: () => void = () => {};
    let calls = 0;
    const ticker = new Ticker(
      100,
      () => {
        calls++;
        return new Promise<void>((r) => {
          release = r;
        });
      },
      clock,
    );
    ticker.start();
    await clock.advanceTo(1_000_500);
    expect(calls).toBe(1);
    expect(clock.pendingTimers()).toBe(0);
    release();
    await new Promise((r) => setImmediate(r));
    expect(clock.pendingTimers()).toBe(1);
    ticker.stop();
  });

  it('given the earliest deadline before the next boundary, when waking early, then it ticks at that deadline but not closer than the gap', async () => {
    const clock = new ManualClock();
    const deadlines = [1_000_063, 1_000_065, 1_000_150];
    const ticks: number[] = [];
    const ticker = new Ticker(
      100,
      (now) => {
        ticks.push(now);
        while (deadlines.length > 0 && deadlines[0]! <= now) deadlines.shift();
      },
      clock,
      { nextDeadline: () => deadlines[0] ?? Number.POSITIVE_INFINITY, minGapMs: 10 },
    );
    ticker.start();
    await clock.advanceTo(1_000_250);
    ticker.stop();
    expect(ticks).toEqual([1_000_063, 1_000_073, 1_000_100, 1_000_150, 1_000_200]);
  });
});
