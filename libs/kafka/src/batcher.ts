import { BufferFullError, KafkaLibError, KafkaUnavailableError } from './errors';
import { realScheduler, type Scheduler } from './scheduler';

/** One caller's messages for one topic; never split across requests. */
export interface BatchCall<M> {
  topic: string;
  messages: M[];
}

export interface BatcherOptions<M> {
  /** How long the first queued call waits for company before the request goes out. */
  lingerMs: number;
  /** A request goes out as soon as this many messages are queued (a bigger single call goes alone). */
  maxBatchMessages: number;
  /** Queued plus in-flight messages; a call that would exceed it is rejected at once. */
  maxBufferedMessages: number;
  /** A call not acknowledged within this time (queue wait included) is rejected. */
  deadlineMs: number;
  /** Sends one request holding every given call; resolves when all are acknowledged. */
  send(calls: ReadonlyArray<BatchCall<M>>): Promise<void>;
  scheduler?: Scheduler;
}

type EntryState = 'queued' | 'in-flight' | 'settled';

interface Entry<M> extends BatchCall<M> {
  state: EntryState;
  deadlineAt: number;
  resolve(): void;
  reject(err: Error): void;
}

/**
 * Coalesces concurrent send calls into few produce requests, one request in flight at a time (the
 * idempotent producer keeps ordering that way). Calls that arrive while a request is in flight are
 * sent together as soon as it settles; otherwise the first call lingers for `lingerMs`.
 * Deadlines share one timer: calls are FIFO with equal timeouts, so the oldest expires first.
 */
export class Batcher<M> {
  /** FIFO of queued calls; `head` advances instead of shifting (O(1) per call). */
  private queue: Entry<M>[] = [];
  private head = 0;
  private queuedMessages = 0;
  private bufferedMessages = 0;
  private inFlight: { entries: Entry<M>[]; done: Promise<void> } | undefined;
  private lingerTimer: unknown;
  private deadlineTimer: unknown;
  private closed = false;
  private readonly scheduler: Scheduler;

  constructor(private readonly opts: BatcherOptions<M>) {
    if (
      opts.maxBatchMessages < 1 ||
      opts.maxBufferedMessages < 1 ||
      opts.lingerMs < 0 ||
      opts.deadlineMs < 1
    ) {
      throw new KafkaLibError(
        'KAFKA_ERR_INVALID_OPTIONS',
        'batcher sizes and deadline must be positive, linger >= 0',
      );
    }
    this.scheduler = opts.scheduler ?? realScheduler;
  }

  /** Messages queued or in flight. */
  get buffered(): number {
    return this.bufferedMessages;
  }

  add(topic: string, messages: M[]): Promise<void> {
    if (this.closed) return Promise.reject(new KafkaLibError('KAFKA_ERR_CLOSED', 'producer is closed'));
    if (messages.length === 0) return Promise.resolve();
    if (this.bufferedMessages + messages.length > this.opts.maxBufferedMessages) {
      return Promise.reject(
        new BufferFullError(
          `producer buffer full: ${this.bufferedMessages} buffered + ${messages.length} > ${this.opts.maxBufferedMessages}`,
        ),
      );
    }
    return new Promise<void>((resolve, reject) => {
      const deadlineAt = this.scheduler.now() + this.opts.deadlineMs;
      this.queue.push({ topic, messages, state: 'queued', deadlineAt, resolve, reject });
      this.queuedMessages += messages.length;
      this.bufferedMessages += messages.length;
      this.armDeadline();
      this.schedule();
    });
  }

  /** Sends what is queued now and resolves once nothing is queued or in flight. */
  async drain(): Promise<void> {
    while (this.queueLength() > 0 || this.inFlight) {
      if (!this.inFlight) this.flush();
      await this.inFlight?.done;
    }
  }

  /** Refuses new calls and drains the rest. */
  async close(): Promise<void> {
    this.closed = true;
    await this.drain();
    if (this.deadlineTimer !== undefined) this.scheduler.clearTimeout(this.deadlineTimer);
    this.deadlineTimer = undefined;
  }

  private queueLength(): number {
    return this.queue.length - this.head;
  }

  private popQueued(): Entry<M> | undefined {
    if (this.head >= this.queue.length) return undefined;
    const entry = this.queue[this.head++];
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    return entry;
  }

  private schedule(): void {
    if (this.inFlight) return; // flushed when the current request settles
    if (this.queuedMessages >= this.opts.maxBatchMessages) {
      this.flush();
    } else if (this.lingerTimer === undefined) {
      this.lingerTimer = this.scheduler.setTimeout(() => {
        this.lingerTimer = undefined;
        if (!this.inFlight) this.flush();
      }, this.opts.lingerMs);
    }
  }

  private flush(): void {
    if (this.lingerTimer !== undefined) {
      this.scheduler.clearTimeout(this.lingerTimer);
      this.lingerTimer = undefined;
    }
    const entries: Entry<M>[] = [];
    let count = 0;
    while (this.head < this.queue.length) {
      const next = this.queue[this.head]!;
      if (entries.length > 0 && count + next.messages.length > this.opts.maxBatchMessages) break;
      this.popQueued();
      entries.push(next);
      count += next.messages.length;
      next.state = 'in-flight';
    }
    this.queuedMessages -= count;
    if (entries.length === 0) return;
    const done = this.sendSafely(entries).then(
      () => this.settle(entries, undefined),
      (err: unknown) => this.settle(entries, err instanceof Error ? err : new Error(String(err))),
    );
    this.inFlight = { entries, done };
  }

  private sendSafely(entries: Entry<M>[]): Promise<void> {
    try {
      return this.opts.send(entries.map(({ topic, messages }) => ({ topic, messages })));
    } catch (err) {
      return Promise.reject(err);
    }
  }

  private settle(entries: Entry<M>[], err: Error | undefined): void {
    for (const entry of entries) {
      this.bufferedMessages -= entry.messages.length;
      if (entry.state !== 'in-flight') continue; // already rejected by its deadline
      entry.state = 'settled';
      if (err) entry.reject(err);
      else entry.resolve();
    }
    this.inFlight = undefined;
    // Calls that queued meanwhile have waited a full round trip already: send them now.
    if (this.queueLength() > 0) this.flush();
  }

  /** Arms the shared deadline timer for the oldest unsettled call, if not armed. */
  private armDeadline(): void {
    if (this.deadlineTimer !== undefined) return;
    const oldest = this.inFlight?.entries.find((e) => e.state === 'in-flight') ?? this.queue[this.head];
    if (!oldest) return;
    const wait = Math.max(0, oldest.deadlineAt - this.scheduler.now());
    this.deadlineTimer = this.scheduler.setTimeout(() => {
      this.deadlineTimer = undefined;
      this.expireDue();
      this.armDeadline();
    }, wait);
  }

  private expireDue(): void {
    const now = this.scheduler.now();
    for (const entry of this.inFlight?.entries ?? []) {
      // An in-flight call keeps its buffer share until the request settles.
      if (entry.state === 'in-flight' && entry.deadlineAt <= now) this.expire(entry);
    }
    while (this.head < this.queue.length && this.queue[this.head]!.deadlineAt <= now) {
      const entry = this.popQueued()!;
      this.queuedMessages -= entry.messages.length;
      this.bufferedMessages -= entry.messages.length;
      this.expire(entry);
    }
  }

  private expire(entry: Entry<M>): void {
    entry.state = 'settled';
    entry.reject(
      new KafkaUnavailableError(
        `not acknowledged within ${this.opts.deadlineMs} ms (${entry.messages.length} messages to ${entry.topic})`,
      ),
    );
  }
}
