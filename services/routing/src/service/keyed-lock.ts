/** One async critical section per key: holders of the same key run in call order, never interleaved. */
export class KeyedLock<K> {
  private readonly tails = new Map<K, Promise<void>>();

  /** Waits for the key, then returns the function that releases it (call it exactly once). */
  async acquire(key: K): Promise<() => void> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tail = previous.then(() => mine);
    this.tails.set(key, tail);
    await previous;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    };
  }

  async run<T>(key: K, work: () => Promise<T> | T): Promise<T> {
    const release = await this.acquire(key);
    try {
      return await work();
    } finally {
      release();
    }
  }
}
