import type { Envelope } from '@switchboard/contracts';

/** The agent a changelog event concerns, for the payloads an agent's stream carries. */
export function agentOf(env: Envelope): string | undefined {
  const p = env.payload;
  switch (p.case) {
    case 'conversationOffered':
    case 'offerExpired':
    case 'conversationAssigned':
    case 'conversationReleased':
    case 'offerDeclined':
    case 'agentStateChanged':
      return p.value.agentId;
    default:
      return undefined;
  }
}

export class SubscriberOverflowError extends Error {
  readonly code = 'RTG_ERR_STREAM_OVERFLOW';
  constructor() {
    super('the agent stream fell too far behind and was closed; reconnect');
    this.name = 'SubscriberOverflowError';
  }
}

class Subscription implements AsyncIterableIterator<Envelope> {
  private readonly queue: Envelope[] = [];
  private wake: (() => void) | undefined;
  private failure: Error | undefined;
  private closed = false;

  constructor(
    private readonly limit: number,
    private readonly onClose: () => void,
  ) {}

  push(env: Envelope): void {
    if (this.closed) return;
    if (this.queue.length >= this.limit) {
      this.failure = new SubscriberOverflowError();
      this.close();
      return;
    }
    this.queue.push(env);
    this.notify();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.onClose();
    this.notify();
  }

  private notify(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }

  async next(): Promise<IteratorResult<Envelope>> {
    for (;;) {
      const env = this.queue.shift();
      if (env) return { value: env, done: false };
      if (this.failure) throw this.failure;
      if (this.closed) return { value: undefined, done: true };
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
  }

  async return(): Promise<IteratorResult<Envelope>> {
    this.close();
    return { value: undefined, done: true };
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<Envelope> {
    return this;
  }
}

/** Fans the changelog out to the streams of the agents connected to this replica, by tenant and agent. */
export class AgentHub {
  private readonly subs = new Map<string, Set<Subscription>>();

  constructor(private readonly bufferLimit = 1000) {}

  /** A stream of the agent's events; ends when `signal` aborts. */
  subscribe(tenantId: string, agentId: string, signal?: AbortSignal): AsyncIterableIterator<Envelope> {
    const key = `${tenantId}\u0000${agentId}`;
    let set = this.subs.get(key);
    if (!set) {
      set = new Set();
      this.subs.set(key, set);
    }
    const s: Subscription = new Subscription(this.bufferLimit, () => {
      set.delete(s);
      if (set.size === 0 && this.subs.get(key) === set) this.subs.delete(key);
    });
    set.add(s);
    signal?.addEventListener('abort', () => s.close(), { once: true });
    return s;
  }

  publish(env: Envelope): void {
    if (this.subs.size === 0) return;
    const agentId = agentOf(env);
    if (agentId === undefined) return;
    const set = this.subs.get(`${env.tenantId}\u0000${agentId}`);
    if (set) for (const s of set) s.push(env);
  }

  /** Ends every stream (shutdown). */
  closeAll(): void {
    for (const set of [...this.subs.values()]) for (const s of [...set]) s.close();
  }

  get connected(): number {
    let n = 0;
    for (const set of this.subs.values()) n += set.size;
    return n;
  }
}
