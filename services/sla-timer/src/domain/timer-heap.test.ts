import fc from 'fast-check';
import { TimerHeap } from './timer-heap';

describe('TimerHeap', () => {
  it('given timers scheduled out of order, when popping due ones, then they come earliest first and stop at now', () => {
    const heap = new TimerHeap(4);
    const a = heap.schedule(300);
    const b = heap.schedule(100);
    const c = heap.schedule(200);
    heap.schedule(900);
    const fired: [number, number][] = [];
    expect(heap.popDue(300, (h, d) => fired.push([h, d]))).toBe(3);
    expect(fired).toEqual([
      [b, 100],
      [c, 200],
      [a, 300],
    ]);
    expect(heap.size).toBe(1);
    expect(heap.peekDeadline()).toBe(900);
  });

  it('given a cancelled and a rescheduled timer, when popping, then the cancelled one never fires and the other fires at its new deadline', () => {
    const heap = new TimerHeap();
    const a = heap.schedule(10);
    const b = heap.schedule(20);
    expect(heap.cancel(a)).toBe(true);
    expect(heap.cancel(a)).toBe(false);
    heap.reschedule(b, 5);
    const fired: number[] = [];
    heap.popDue(15, (h) => fired.push(h));
    expect(fired).toEqual([b]);
    expect(heap.size).toBe(0);
    expect(() => heap.reschedule(b, 1)).toThrow(/SLA_ERR_TIMER_NOT_PENDING/);
  });

  it('reuses released handles and grows past its initial capacity', () => {
    const heap = new TimerHeap(4);
    const handles = Array.from({ length: 100 }, (_, i) => heap.schedule(i));
    expect(new Set(handles).size).toBe(100);
    heap.cancel(handles[7]!);
    expect(heap.schedule(1000)).toBe(handles[7]);
  });

  it('forEachDue visits exactly the due timers without removing them', () => {
    const heap = new TimerHeap();
    for (let i = 0; i < 50; i++) heap.schedule((i * 37) % 101);
    const seen: number[] = [];
    heap.forEachDue(40, (_h, d) => seen.push(d));
    const expected: number[] = [];
    for (let i = 0; i < 50; i++) if ((i * 37) % 101 <= 40) expected.push((i * 37) % 101);
    expect(seen.sort((x, y) => x - y)).toEqual(expected.sort((x, y) => x - y));
    expect(heap.size).toBe(50);
  });

  it('behaves like a sorted list under random schedule/cancel/reschedule/pop', () => {
    type Op =
      | { op: 'schedule'; at: number }
      | { op: 'cancel'; pick: number }
      | { op: 'reschedule'; pick: number; at: number }
      | { op: 'pop'; now: number };
    const opArb: fc.Arbitrary<Op> = fc.oneof(
      fc.record({ op: fc.constant('schedule' as const), at: fc.integer({ min: 0, max: 1000 }) }),
      fc.record({ op: fc.constant('cancel' as const), pick: fc.nat() }),
      fc.record({
        op: fc.constant('reschedule' as const),
        pick: fc.nat(),
        at: fc.integer({ min: 0, max: 1000 }),
      }),
      fc.record({ op: fc.constant('pop' as const), now: fc.integer({ min: 0, max: 1000 }) }),
    );
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 300 }), (ops) => {
        const heap = new TimerHeap(4);
        const model = new Map<number, number>();
        for (const o of ops) {
          const live = [...model.keys()];
          if (o.op === 'schedule') model.set(heap.schedule(o.at), o.at);
          else if (o.op === 'cancel' && live.length > 0) {
            const h = live[o.pick % live.length]!;
            heap.cancel(h);
            model.delete(h);
          } else if (o.op === 'reschedule' && live.length > 0) {
            const h = live[o.pick % live.length]!;
            heap.reschedule(h, o.at);
            model.set(h, o.at);
          } else if (o.op === 'pop') {
            const popped: number[] = [];
            heap.popDue(o.now, (h, d) => {
              expect(model.get(h)).toBe(d);
              model.delete(h);
              popped.push(d);
            });
            expect(popped).toEqual([...popped].sort((x, y) => x - y));
            for (const d of model.values()) expect(d).toBeGreaterThan(o.now);
          }
          expect(heap.size).toBe(model.size);
          expect(heap.peekDeadline()).toBe(
            model.size ? Math.min(...model.values()) : Number.POSITIVE_INFINITY,
          );
        }
      }),
    );
  });
});
