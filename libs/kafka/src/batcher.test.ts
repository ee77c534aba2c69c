import fc from 'fast-check';
import { type BatchCall, Batcher } from './batcher';
import { BufferFullError, type KafkaUnavailableError } from './errors';
import type { Scheduler } from './scheduler';

/** Virtual clock: timers fire only when the test advances time. */
class ManualScheduler implements Scheduler {
  clock = 0;
  private nextId = 1;
  private timers = new Map<number, { at: number; fn: () => void }>();

  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.set(id, { at: this.clock + ms, fn });
    return id;
  }

  now(): number {
    return this.clock;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  async advance(ms: number): Promise<void> {
    const until = this.clock + ms;
    for (;;) {
      const due = [...this.timers].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.clock = due[1].at;
      due[1].fn();
      await settle();
    }
    this.clock = until;
    await settle();
  }
}

async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

/** A send function whose requests the test answers by hand. */
function manualSend() {
  const requests: { calls: BatchCall<number>[]; resolve(): void; reject(err: Error): void }[] = [];
  const send = (calls: ReadonlyArray<BatchCall<number>>) =>
    new Promise<void>((resolve, reject) => {
      requests.push({
        calls: calls.map((c) => ({ topic: c.topic, messages: [...c.messages] })),
        resolve,
        reject,
      });
    });
  return { requests, send };
}

function track(p: Promise<void>) {
  const state: { status: 'pending' | 'resolved' | 'rejected'; error?: unknown } = { status: 'pending' };
  p.then(
    () => {
      state.status = 'resolved';
    },
    (error: unknown) => {
      state.status = 'rejected';
      state.error = error;
    },
  );
  return state;
}

function setup(
  overrides: Partial<{
    lingerMs: number;
    maxBatchMessages: number;
    maxBufferedMessages: number;
    deadlineMs: number;
  }> = {},
) {
  const scheduler = new ManualScheduler();
  const { requests, send } = manualSend();
  const batcher = new Batcher<number>({
    lingerMs: 2,
    maxBatchMessages: 10,
    maxBufferedMessages: 100,
    deadlineMs: 5000,
    send,
    scheduler,
    ...overrides,
  });
  return { scheduler, requests, batcher };
}

describe('Batcher', () => {
  it('given calls within the linger window, when it elapses, then they go out in one request', async () => {
    const { scheduler, requests, batcher } = setup();
    const a = track(batcher.add('t1', [1, 2]));
    const b = track(batcher.add('t2', [3]));
    await scheduler.advance(1);
    expect(requests).toHaveLength(0);
    await scheduler.advance(1);
    expect(requests).toHaveLength(1);
    expect(requests[0]!.calls).toEqual([
      { topic: 't1', messages: [1, 2] },
      { topic: 't2', messages: [3] },
    ]);
    expect(a.status).toBe('pending');
    requests[0]!.resolve();
    await settle();
    expect([a.status, b.status]).toEqual(['resolved', 'resolved']);
    expect(batcher.buffered).toBe(0);
  });

  it('given maxBatchMessages queued, then the request goes out without lingering', async () => {
    const { requests, batcher } = setup({ maxBatchMessages: 3 });
    void batcher.add('t', [1, 2]);
    await settle();
    expect(requests).toHaveLength(0);
    void batcher.add('t', [3]);
    await settle();
    expect(requests).toHaveLength(1);
  });

  it('never splits a call: a call bigger than maxBatchMessages goes alone and whole', async () => {
    const { scheduler, requests, batcher } = setup({ maxBatchMessages: 3 });
    void batcher.add('t', [1]);
    void batcher.add('t', [2, 3, 4, 5, 6]);
    await scheduler.advance(0);
    expect(requests[0]!.calls).toEqual([{ topic: 't', messages: [1] }]);
    requests[0]!.resolve();
    await settle();
    expect(requests[1]!.calls).toEqual([{ topic: 't', messages: [2, 3, 4, 5, 6] }]);
  });

  it('keeps one request in flight and sends what queued meanwhile as soon as it settles', async () => {
    const { scheduler, requests, batcher } = setup();
    void batcher.add('t', [1]);
    await scheduler.advance(2);
    void batcher.add('t', [2]);
    void batcher.add('t', [3]);
    await scheduler.advance(10);
    expect(requests).toHaveLength(1);
    requests[0]!.resolve();
    await settle();
    expect(requests).toHaveLength(2);
    expect(requests[1]!.calls.map((c) => c.messages)).toEqual([[2], [3]]);
  });

  it('rejects every call of a failed request with its error, and the next request still goes out', async () => {
    const { scheduler, requests, batcher } = setup();
    const a = track(batcher.add('t', [1]));
    const b = track(batcher.add('t', [2]));
    await scheduler.advance(2);
    requests[0]!.reject(new Error('broker said no'));
    await settle();
    expect([a.status, b.status]).toEqual(['rejected', 'rejected']);
    expect((a.error as Error).message).toBe('broker said no');
    const c = track(batcher.add('t', [3]));
    await scheduler.advance(2);
    requests[1]!.resolve();
    await settle();
    expect(c.status).toBe('resolved');
  });

  it('rejects with BufferFullError instead of queueing beyond the bound', async () => {
    const { scheduler, requests, batcher } = setup({ maxBufferedMessages: 5 });
    const a = track(batcher.add('t', [1, 2, 3]));
    const b = track(batcher.add('t', [4, 5, 6]));
    await settle();
    expect(b.status).toBe('rejected');
    expect(b.error).toBeInstanceOf(BufferFullError);
    expect((b.error as BufferFullError).code).toBe('KAFKA_ERR_BUFFER_FULL');
    await scheduler.advance(2);
    requests[0]!.resolve();
    await settle();
    expect(a.status).toBe('resolved');
    expect(track(batcher.add('t', [7, 8, 9, 10, 11])).status).toBe('pending');
  });

  it('rejects a call not acknowledged by its deadline with KAFKA_ERR_UNAVAILABLE and frees its buffer share', async () => {
    const { scheduler, requests, batcher } = setup({ deadlineMs: 100 });
    const inFlight = track(batcher.add('t', [1]));
    await scheduler.advance(2);
    const queued = track(batcher.add('t', [2, 3]));
    await scheduler.advance(100);
    expect(inFlight.status).toBe('rejected');
    expect(queued.status).toBe('rejected');
    expect((queued.error as KafkaUnavailableError).code).toBe('KAFKA_ERR_UNAVAILABLE');
    expect(batcher.buffered).toBe(1); // the in-flight message until its request settles
    requests[0]!.resolve();
    await settle();
    expect(batcher.buffered).toBe(0);
    expect(requests).toHaveLength(1); // the expired queued call was never sent
  });

  it('drain sends what is queued and waits for it', async () => {
    const { requests, batcher } = setup({ lingerMs: 1000 });
    const a = track(batcher.add('t', [1]));
    const drained = track(batcher.drain());
    await settle();
    expect(requests).toHaveLength(1);
    requests[0]!.resolve();
    await settle();
    expect([a.status, drained.status]).toEqual(['resolved', 'resolved']);
  });

  it('property: every call is sent exactly once, whole, in order, and requests respect the size bound', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ size: fc.integer({ min: 1, max: 8 }), gap: fc.integer({ min: 0, max: 3 }) }), {
          maxLength: 40,
        }),
        fc.integer({ min: 1, max: 10 }),
        async (calls, maxBatchMessages) => {
          const { scheduler, requests, batcher } = setup({ maxBatchMessages, maxBufferedMessages: 10_000 });
          let next = 0;
          const results = [];
          for (const { size, gap } of calls) {
            const messages = Array.from({ length: size }, () => next++);
            results.push(track(batcher.add('t', messages)));
            await scheduler.advance(gap);
            for (const r of requests) r.resolve();
          }
          for (let i = 0; i < 50 && results.some((r) => r.status === 'pending'); i++) {
            await scheduler.advance(5);
            for (const r of requests) r.resolve();
          }
          expect(results.every((r) => r.status === 'resolved')).toBe(true);
          const sentCalls = requests.flatMap((r) => r.calls.map((c) => c.messages));
          expect(sentCalls.flat()).toEqual(Array.from({ length: next }, (_, i) => i));
          expect(sentCalls).toHaveLength(calls.length);
          for (const r of requests) {
            const size = r.calls.reduce((n, c) => n + c.messages.length, 0);
            if (r.calls.length > 1) expect(size).toBeLessThanOrEqual(maxBatchMessages);
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});
