import fc from 'fast-check';
import { LazyHeap } from './lazy-heap';

interface Item {
  key: number;
  id: number;
}
const less = (a: Item, b: Item) => (a.key !== b.key ? a.key < b.key : a.id < b.id);

describe('LazyHeap', () => {
  test('visitInOrder walks every entry best first without changing the heap; prune and compaction keep the valid ones', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ key: fc.integer({ min: -50, max: 50 }), stale: fc.boolean() }), {
          maxLength: 300,
        }),
        fc.nat(300),
        (ops, stopAfter) => {
          const heap = new LazyHeap<Item>(less);
          const stale = new Set<number>();
          ops.forEach((op, id) => {
            heap.push({ key: op.key, id });
            if (op.stale) stale.add(id);
          });
          const before = [...heap.all()];
          const seen: Item[] = [];
          heap.visitInOrder((item) => {
            seen.push(item);
            return seen.length > stopAfter;
          });
          const sorted = ops.map((op, id) => ({ key: op.key, id })).sort((a, b) => (less(a, b) ? -1 : 1));
          expect(seen).toEqual(sorted.slice(0, Math.min(sorted.length, stopAfter + 1)));
          expect([...heap.all()]).toEqual(before);
          const valid = (i: Item) => !stale.has(i.id);
          heap.prune(valid);
          heap.compactIfSparse(0, valid);
          const rest: Item[] = [];
          heap.visitInOrder((item) => {
            if (valid(item)) rest.push(item);
            return false;
          });
          expect(rest).toEqual(sorted.filter(valid));
          const top = heap.peek();
          if (top) expect(valid(top)).toBe(true);
          const popped: Item[] = [];
          for (let item = heap.pop(); item; item = heap.pop()) if (valid(item)) popped.push(item);
          expect(popped).toEqual(sorted.filter(valid));
        },
      ),
      { numRuns: 200 },
    );
  });
});
