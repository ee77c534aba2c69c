/**
 * Pending deadlines for millions of timers in typed arrays: a 4-ary min-heap keyed by deadline with
 * stable integer handles, so that cancel and reschedule are O(log n) without searching. 20 bytes per
 * timer slot (deadline 8 + heap entry 4 + position 4 + free list 4); arrays grow by doubling.
 * Pure data structure: no clock, the caller says what "now" is.
 */
export class TimerHeap {
  private keys: Float64Array; // heap slot -> deadline (kept next to the slot for cache locality)
  private slots: Int32Array; // heap slot -> handle
  private pos: Int32Array; // handle -> heap slot, -1 when free
  private free: Int32Array; // stack of released handles
  private freeTop = 0;
  private nextHandle = 0;
  private count = 0;

  constructor(initialCapacity = 1024) {
    const cap = Math.max(4, initialCapacity | 0);
    this.keys = new Float64Array(cap);
    this.slots = new Int32Array(cap);
    this.pos = new Int32Array(cap).fill(-1);
    this.free = new Int32Array(cap);
  }

  /** Pending timers. */
  get size(): number {
    return this.count;
  }

  /** Bytes held by the typed arrays (what a pending timer costs, with growth slack). */
  get byteLength(): number {
    return this.keys.byteLength + this.slots.byteLength + this.pos.byteLength + this.free.byteLength;
  }

  /** Adds a timer and returns its handle (valid until it is cancelled or popped). */
  schedule(deadline: number): number {
    let handle: number;
    if (this.freeTop > 0) handle = this.free[--this.freeTop]!;
    else {
      if (this.nextHandle === this.pos.length) this.grow();
      handle = this.nextHandle++;
    }
    const slot = this.count++;
    this.slots[slot] = handle;
    this.keys[slot] = deadline;
    this.pos[handle] = slot;
    this.siftUp(slot);
    return handle;
  }

  /** Moves a pending timer to a new deadline. */
  reschedule(handle: number, deadline: number): void {
    const slot = this.slotOf(handle);
    const old = this.keys[slot]!;
    this.keys[slot] = deadline;
    if (deadline < old) this.siftUp(slot);
    else if (deadline > old) this.siftDown(slot);
  }

  /** Removes a pending timer; returns false when the handle is not pending. */
  cancel(handle: number): boolean {
    if (handle < 0 || handle >= this.nextHandle || this.pos[handle]! < 0) return false;
    this.removeAt(this.pos[handle]!);
    return true;
  }

  has(handle: number): boolean {
    return handle >= 0 && handle < this.nextHandle && this.pos[handle]! >= 0;
  }

  deadlineOf(handle: number): number {
    return this.keys[this.slotOf(handle)]!;
  }

  /** Earliest deadline, Infinity when empty. */
  peekDeadline(): number {
    return this.count > 0 ? this.keys[0]! : Number.POSITIVE_INFINITY;
  }

  /** Pops every timer due at `now` (deadline ≤ now), earliest first; returns how many fired. */
  popDue(now: number, fire: (handle: number, deadline: number) => void): number {
    let fired = 0;
    while (this.count > 0 && this.keys[0]! <= now) {
      const handle = this.slots[0]!;
      const deadline = this.keys[0]!;
      this.removeAt(0);
      fire(handle, deadline);
      fired++;
    }
    return fired;
  }

  /** Visits every timer due at `now` without removing any (order unspecified). */
  forEachDue(now: number, visit: (handle: number, deadline: number) => void): void {
    if (this.count === 0) return;
    const stack: number[] = [0];
    while (stack.length > 0) {
      const slot = stack.pop()!;
      if (this.keys[slot]! > now) continue;
      visit(this.slots[slot]!, this.keys[slot]!);
      const first = slot * 4 + 1;
      const end = Math.min(first + 4, this.count);
      for (let c = first; c < end; c++) stack.push(c);
    }
  }

  private slotOf(handle: number): number {
    const slot = handle >= 0 && handle < this.nextHandle ? this.pos[handle]! : -1;
    if (slot < 0) throw new RangeError(`SLA_ERR_TIMER_NOT_PENDING: handle ${handle}`);
    return slot;
  }

  private removeAt(slot: number): void {
    const handle = this.slots[slot]!;
    this.pos[handle] = -1;
    this.free[this.freeTop++] = handle;
    const last = --this.count;
    if (slot === last) return;
    const movedKey = this.keys[last]!;
    this.slots[slot] = this.slots[last]!;
    this.keys[slot] = movedKey;
    this.pos[this.slots[slot]!] = slot;
    if (slot > 0 && movedKey < this.keys[(slot - 1) >> 2]!) this.siftUp(slot);
    else this.siftDown(slot);
  }

  private siftUp(start: number): void {
    const keys = this.keys;
    const slots = this.slots;
    const pos = this.pos;
    const key = keys[start]!;
    const handle = slots[start]!;
    let slot = start;
    while (slot > 0) {
      const parent = (slot - 1) >> 2;
      const pk = keys[parent]!;
      if (pk <= key) break;
      keys[slot] = pk;
      slots[slot] = slots[parent]!;
      pos[slots[slot]!] = slot;
      slot = parent;
    }
    keys[slot] = key;
    slots[slot] = handle;
    pos[handle] = slot;
  }

  private siftDown(start: number): void {
    const keys = this.keys;
    const slots = this.slots;
    const pos = this.pos;
    const n = this.count;
    const key = keys[start]!;
    const handle = slots[start]!;
    let slot = start;
    for (;;) {
      const first = slot * 4 + 1;
      if (first >= n) break;
      let best = first;
      let bestKey = keys[first]!;
      const end = Math.min(first + 4, n);
      for (let c = first + 1; c < end; c++) {
        const k = keys[c]!;
        if (k < bestKey) {
          best = c;
          bestKey = k;
        }
      }
      if (bestKey >= key) break;
      keys[slot] = bestKey;
      slots[slot] = slots[best]!;
      pos[slots[slot]!] = slot;
      slot = best;
    }
    keys[slot] = key;
    slots[slot] = handle;
    pos[handle] = slot;
  }

  private grow(): void {
    const cap = this.pos.length * 2;
    const keys = new Float64Array(cap);
    keys.set(this.keys);
    const slots = new Int32Array(cap);
    slots.set(this.slots);
    const pos = new Int32Array(cap).fill(-1);
    pos.set(this.pos);
    const free = new Int32Array(cap);
    free.set(this.free);
    this.keys = keys;
    this.slots = slots;
    this.pos = pos;
    this.free = free;
  }
}
