import { GroupCommit } from './group-commit';

/** A flush that records what it got and settles when the test says so. */
function controlledFlush() {
  const calls: { items: number[]; settle(err?: Error): void }[] = [];
  const flush = (items: number[]) =>
    new Promise<string[]>((resolve, reject) => {
      calls.push({ items, settle: (err) => (err ? reject(err) : resolve(items.map((i) => `r${i}`))) });
    });
  return { calls, flush };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('GroupCommit', () => {
  it('writes the items submitted together in one flush once they weigh enough, each getting its result', async () => {
    const { calls, flush } = controlledFlush();
    const g = new GroupCommit<number, string>({ maxWeight: 10, maxDelayMs: 60_000, weigh: (n) => n, flush });
    const a = g.submit(4);
    const b = g.submit(5);
    await tick();
    expect(calls).toHaveLength(0);
    const c = g.submit(1);
    await tick();
    expect(calls.map((x) => x.items)).toEqual([[4, 5, 1]]);
    calls[0]!.settle();
    await expect(Promise.all([a, b, c])).resolves.toEqual(['r4', 'r5', 'r1']);
  });

  it('rejects every waiting caller of a failed flush, and the next flush carries only new items', async () => {
    const { calls, flush } = controlledFlush();
    const g = new GroupCommit<number, string>({ maxWeight: 2, maxDelayMs: 60_000, weigh: () => 1, flush });
    const a = g.submit(1);
    const b = g.submit(2);
    await tick();
    // Arrives while the first flush runs: waits for the next one.
    const c = g.submit(3);
    const d = g.submit(4);
    await tick();
    expect(calls).toHaveLength(1);
    calls[0]!.settle(new Error('database gone'));
    await expect(a).rejects.toThrow('database gone');
    await expect(b).rejects.toThrow('database gone');
    await tick();
    expect(calls.map((x) => x.items)).toEqual([
      [1, 2],
      [3, 4],
    ]);
    calls[1]!.settle();
    await expect(Promise.all([c, d])).resolves.toEqual(['r3', 'r4']);
  });

  it('takes no more than maxWeight per flush (at least one item), then the next heavy-enough part', async () => {
    const { calls, flush } = controlledFlush();
    const g = new GroupCommit<number, string>({ maxWeight: 10, maxDelayMs: 60_000, weigh: (n) => n, flush });
    const all = [g.submit(12), g.submit(4), g.submit(5), g.submit(3), g.submit(7)];
    await tick();
    calls[0]!.settle();
    await tick();
    calls[1]!.settle();
    await tick();
    expect(calls.map((x) => x.items)).toEqual([[12], [4, 5], [3, 7]]);
    calls[2]!.settle();
    await expect(Promise.all(all)).resolves.toEqual(['r12', 'r4', 'r5', 'r3', 'r7']);
  });

  it('flushes a light batch after maxDelayMs', async () => {
    jest.useFakeTimers();
    try {
      const { calls, flush } = controlledFlush();
      const g = new GroupCommit<number, string>({
        maxWeight: 1000,
        maxDelayMs: 20,
        weigh: () => 1,
        flush,
        now: () => Date.now(),
      });
      const a = g.submit(7);
      jest.advanceTimersByTime(19);
      expect(calls).toHaveLength(0);
      jest.advanceTimersByTime(1);
      expect(calls.map((x) => x.items)).toEqual([[7]]);
      calls[0]!.settle();
      await expect(a).resolves.toBe('r7');
      expect(g.size).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });

  it('starts the next flush at once when its items already waited maxDelayMs during the last one', async () => {
    let t = 0;
    const { calls, flush } = controlledFlush();
    const g = new GroupCommit<number, string>({
      maxWeight: 1000,
      maxDelayMs: 20,
      weigh: () => 1,
      flush,
      now: () => t,
    });
    const a = g.submit(1);
    t = 20;
    const b = g.submit(2); // schedule() sees the oldest item waited 20: flush [1, 2] now
    await tick();
    const c = g.submit(3);
    t = 45;
    calls[0]!.settle();
    await Promise.all([a, b]);
    await tick();
    expect(calls.map((x) => x.items)).toEqual([[1, 2], [3]]);
    calls[1]!.settle();
    await expect(c).resolves.toBe('r3');
  });
});
