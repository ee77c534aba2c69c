import type { Channel, EnvelopePayload, SlaTarget } from '@switchboard/contracts';
import type { SlaConfig } from './policy';
import type { TimerHeap } from './timer-heap';

/** An input as the decider sees it: the fields of an input Envelope it needs (an Envelope fits). */
export interface InputEvent {
  eventId: string;
  tenantId: string;
  /** Conversation id (tenant id for configuration). */
  aggregateId: string;
  payload: EnvelopePayload;
}

export type SlaPayloadCase =
  | 'slaClockStarted'
  | 'slaClockPaused'
  | 'slaClockResumed'
  | 'slaWarningRaised'
  | 'slaBreached'
  | 'slaMet'
  | 'slaClockCancelled';
export type SlaPayload = Extract<EnvelopePayload, { case: SlaPayloadCase }>;

/** An SLA event the decider emits; one Envelope on the SLA topic. */
export interface SlaEvent {
  /** Deterministic: derived from the clock and the input that caused it. */
  eventId: string;
  tenantId: string;
  conversationId: string;
  /** The input event id, or "" for events fired by the tick. */
  causationId: string;
  payload: SlaPayload;
}

/** Commands: an input envelope, or the process-level tick that fires due timers. */
export type SlaCommand = { kind: 'input'; input: InputEvent } | { kind: 'tick' };

/** What the inputs said about a conversation (folded from inputs only). Times are epoch ms, -1 = none. */
export interface ConversationFacts {
  id: string;
  channel: Channel;
  customerTier: string;
  priority: number;
  queueId: string;
  open: boolean;
  closedAtMs: number;
  startedAtMs: number;
  /** ConversationStarted (or a starting bot hand-off) was seen, not only routing events. */
  startedSeen: boolean;
  /** The first-response episode ended (first agent message, or the conversation closed). */
  firstResponseOver: boolean;
  resolutionSeq: number;
  resolutionOriginMs: number;
  nextResponseSeq: number;
  /** The customer message that waits for an answer, -1 when none. */
  nextResponseOriginMs: number;
  /** -1 before the first queueing. */
  assignmentSeq: number;
  assignmentOriginMs: number;
  /** Waiting on the customer (an agent spoke last) since, -1 when not. */
  pendingSinceMs: number;
}

/** One clock, folded from SLA events only. Times are epoch ms, -1 = none (paused or closed). */
export interface Clock {
  tenantId: string;
  conversationId: string;
  target: SlaTarget;
  sequence: number;
  key: string;
  policyId: string;
  targetSeconds: number;
  /** Immutable (shared between clocks and working copies): replaced, never changed in place. */
  warnAtPercent: readonly number[];
  warnAtMs: readonly number[];
  raisedPercent: readonly number[];
  dueAtMs: number;
  elapsedMs: number;
  countingSinceMs: number;
  calendarId: string;
  pauseWhilePending: boolean;
  originMs: number;
  closed: boolean;
  /** Handle in the timer heap, -1 when not scheduled (not part of the logical state). */
  handle: number;
}

export interface TenantState {
  tenantId: string;
  config: SlaConfig | undefined;
  conversations: Map<string, ConversationFacts>;
  /** Clocks per conversation, closed ones included (a closed clock is never restarted). */
  clocks: Map<string, Clock[]>;
  seen: IdWindow;
  lastInputMs: number;
  /** Closed conversations in closing order, for eviction after the retention. */
  closedQueue: { id: string; closedAtMs: number }[];
}

export interface SlaStateOptions {
  /** Input event ids remembered per tenant for idempotency. */
  seenWindow: number;
  /** How long a closed conversation is kept for a reopen. */
  closedRetentionMs: number;
}

/** The state of one partition owner: every tenant it holds and one timer heap for all their clocks. */
export interface SlaState {
  tenants: Map<string, TenantState>;
  timers: TimerHeap;
  clockByHandle: (Clock | undefined)[];
  options: SlaStateOptions;
}

/** A bounded set of recently seen ids (ring buffer + set). */
export class IdWindow {
  private readonly ring: (string | undefined)[];
  private readonly set = new Set<string>();
  private next = 0;

  constructor(readonly capacity: number) {
    this.ring = new Array(capacity);
  }

  has(id: string): boolean {
    return this.set.has(id);
  }

  add(id: string): void {
    if (this.set.has(id) || this.capacity === 0) return;
    const old = this.ring[this.next];
    if (old !== undefined) this.set.delete(old);
    this.ring[this.next] = id;
    this.set.add(id);
    this.next = (this.next + 1) % this.capacity;
  }

  /** Oldest first. */
  toArray(): string[] {
    const out: string[] = [];
    for (let i = 0; i < this.capacity; i++) {
      const id = this.ring[(this.next + i) % this.capacity];
      if (id !== undefined) out.push(id);
    }
    return out;
  }
}
