/**
 * A binary min-heap with lazy deletion: entries are never removed from the middle; the owner marks
 * them stale (by a stamp it checks) and they are dropped when they reach the top or on compaction.
 * `visitInOrder` walks entries best-first WITHOUT changing the heap, so a pure `decide` can look
 * past the top. (Common heap libraries offer neither lazy deletion nor a non-mutating ordered walk.)
 */
export class LazyHeap<T> {
  private items: T[] = [];

  constructor(private readonly less: (a: T, b: T) => boolean) {}

  get size(): number {
    return this.items.length;
  }

  push(item: T): void {
    const items = this.items;
    let i = items.length;
    items.push(item);
    while (i > 0) {
      const p = (i - 1) >> 1;
      const parent = items[p] as T;
      if (!this.less(item, parent)) break;
      items[i] = parent;
      i = p;
    }
    items[i] = item;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  pop(): T | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last !== undefined) this.siftDown(0, last);
    return top;
  }

  /** Drops stale entries from the top so that the top, if any, is valid. */
  prune(isValid: (item: T) => boolean): void {
    while (this.items.length > 0 && !isValid(this.items[0] as T)) this.pop();
  }

  /** Rebuilds without stale entries when they outnumber the live ones (amortised O(1) per push). */
  compactIfSparse(live: number, isValid: (item: T) => boolean): void {
    if (this.items.length <= 2 * live + 64) return;
    this.items = this.items.filter(isValid);
    for (let i = (this.items.length >> 1) - 1; i >= 0; i--) this.siftDown(i, this.items[i] as T);
  }

  /** Calls `visit` on entries best first until it returns true. Does not modify the heap. */
  visitInOrder(visit: (item: T) => boolean): void {
    const items = this.items;
    if (items.length === 0) return;
    if (visit(items[0] as T)) return;
    // Frontier of heap positions, itself a small heap ordered by the items at those positions.
    const frontier: number[] = [];
    const lessAt = (x: number, y: number) => this.less(items[x] as T, items[y] as T);
    const add = (pos: number) => {
      if (pos >= items.length) return;
      let i = frontier.length;
      frontier.push(pos);
      while (i > 0) {
        const p = (i - 1) >> 1;
        const pp = frontier[p] as number;
        if (!lessAt(pos, pp)) break;
        frontier[i] = pp;
        i = p;
      }
      frontier[i] = pos;
    };
    add(1);
    add(2);
    while (frontier.length > 0) {
      const pos = frontier[0] as number;
      const last = frontier.pop() as number;
      if (frontier.length > 0) {
        let i = 0;
        const n = frontier.length;
        for (;;) {
          const l = 2 * i + 1;
          if (l >= n) break;
          const r = l + 1;
          const c = r < n && lessAt(frontier[r] as number, frontier[l] as number) ? r : l;
          if (!lessAt(frontier[c] as number, last)) break;
          frontier[i] = frontier[c] as number;
          i = c;
        }
        frontier[i] = last;
      }
      if (visit(items[pos] as T)) return;
      add(2 * pos + 1);
      add(2 * pos + 2);
    }
  }

  /** Every entry, in no particular order. */
  all(): readonly T[] {
    return this.items;
  }

  private siftDown(start: number, item: T): void {
    const items = this.items;
    const n = items.length;
    let i = start;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && this.less(items[r] as T, items[l] as T) ? r : l;
      const child = items[c] as T;
      if (!this.less(child, item)) break;
      items[i] = child;
      i = c;
    }
    items[i] = item;
  }
}
