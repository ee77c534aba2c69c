// Builders for given/when/then tests of the SLA decider: inputs as protobuf payloads, a fake clock
// passed as `now`, and a compact rendering of the emitted events.

import type { MessageInitShape } from '@bufbuild/protobuf';
import { create } from '@bufbuild/protobuf';
import {
  AgentMessageSentSchema,
  BusinessCalendarSchema,
  Channel,
  ConversationAbandonedSchema,
  ConversationAssignedSchema,
  ConversationDequeuedSchema,
  ConversationEscalatedSchema,
  ConversationQueuedSchema,
  ConversationReopenedSchema,
  ConversationResolvedSchema,
  ConversationStartedSchema,
  ConversationTransferredSchema,
  CustomerMessageReceivedSchema,
  CustomerSchema,
  type EnvelopePayload,
  msFromTs,
  OpeningPeriodSchema,
  SlaMatchSchema,
  SlaPolicySchema,
  SlaTarget,
  SlaTargetSpecSchema,
  TargetKind,
  TenantConfigAppliedSchema,
  TenantConfigSchema,
} from '@switchboard/contracts';
import { createState, decide, evolve, evolveInput, type SlaEvent, type SlaState } from '../../src/domain';

export const MIN = 60_000;
export const H = 60 * MIN;
export const TENANT = 'acme';

export type PolicyInit = MessageInitShape<typeof SlaPolicySchema>;
export type CalendarInit = MessageInitShape<typeof BusinessCalendarSchema>;

export const target = (kind: TargetKind, seconds: number, warnAtPercent: number[] = []) =>
  create(SlaTargetSpecSchema, { kind, seconds, warnAtPercent });
export const policy = (init: PolicyInit) => create(SlaPolicySchema, init);
export const match = (init: MessageInitShape<typeof SlaMatchSchema>) => create(SlaMatchSchema, init);
export const calendar = (init: CalendarInit) => create(BusinessCalendarSchema, init);
export const weekdays = (start: number, end: number) =>
  [1, 2, 3, 4, 5].map((dayOfWeek) =>
    create(OpeningPeriodSchema, { dayOfWeek, startMinute: start, endMinute: end }),
  );
export { Channel, SlaTarget, TargetKind };

export const configApplied = (
  version: number,
  policies: PolicyInit[],
  calendars: CalendarInit[] = [],
): EnvelopePayload => ({
  case: 'tenantConfigApplied',
  value: create(TenantConfigAppliedSchema, {
    version: BigInt(version),
    config: create(TenantConfigSchema, {
      slaPolicies: policies.map(policy),
      calendars: calendars.map(calendar),
    }),
  }),
});
export const started = (channel = Channel.CHAT, tier = ''): EnvelopePayload => ({
  case: 'conversationStarted',
  value: create(ConversationStartedSchema, {
    channel,
    customer: create(CustomerSchema, { id: 'cust', tier }),
  }),
});
export const customerMessage = (): EnvelopePayload => ({
  case: 'customerMessageReceived',
  value: create(CustomerMessageReceivedSchema, {}),
});
export const agentMessage = (): EnvelopePayload => ({
  case: 'agentMessageSent',
  value: create(AgentMessageSentSchema, { agentId: 'agent-1' }),
});
export const resolved = (): EnvelopePayload => ({
  case: 'conversationResolved',
  value: create(ConversationResolvedSchema, {}),
});
export const abandoned = (): EnvelopePayload => ({
  case: 'conversationAbandoned',
  value: create(ConversationAbandonedSchema, {}),
});
export const reopened = (): EnvelopePayload => ({
  case: 'conversationReopened',
  value: create(ConversationReopenedSchema, {}),
});
export const queued = (
  conversationId: string,
  queueId: string,
  priority: number,
  channel = Channel.CHAT,
): EnvelopePayload => ({
  case: 'conversationQueued',
  value: create(ConversationQueuedSchema, { conversationId, queueId, priority, channel }),
});
export const assigned = (conversationId: string, queueId = ''): EnvelopePayload => ({
  case: 'conversationAssigned',
  value: create(ConversationAssignedSchema, { conversationId, agentId: 'agent-1', queueId }),
});
export const dequeued = (conversationId: string): EnvelopePayload => ({
  case: 'conversationDequeued',
  value: create(ConversationDequeuedSchema, { conversationId, reason: 'abandoned' }),
});
export const escalated = (
  conversationId: string,
  newQueueId: string,
  newPriority: number,
): EnvelopePayload => ({
  case: 'conversationEscalated',
  value: create(ConversationEscalatedSchema, { conversationId, newQueueId, newPriority }),
});
export const transferredToQueue = (conversationId: string, queueId: string): EnvelopePayload => ({
  case: 'conversationTransferred',
  value: create(ConversationTransferredSchema, {
    conversationId,
    fromAgentId: 'agent-1',
    target: { case: 'queueId', value: queueId },
  }),
});

/** One recorded step: what went in and what came out, for replay tests. */
export type Step =
  | {
      kind: 'input';
      eventId: string;
      aggregateId: string;
      payload: EnvelopePayload;
      now: number;
      out: SlaEvent[];
    }
  | { kind: 'tick'; now: number; out: SlaEvent[] };

/** A tenant's life driven by a fake clock; every step is decided, applied and recorded. */
export class Scenario {
  readonly state: SlaState = createState();
  readonly steps: Step[] = [];
  readonly all: SlaEvent[] = [];
  private n = 0;

  constructor(readonly tenantId = TENANT) {}

  input(aggregateId: string, payload: EnvelopePayload, now: number, eventId = `in-${++this.n}`): SlaEvent[] {
    const input = { eventId, tenantId: this.tenantId, aggregateId, payload };
    const out = decide(this.state, { kind: 'input', input }, now);
    evolveInput(this.state, input, now);
    for (const e of out) evolve(this.state, e);
    this.steps.push({ kind: 'input', eventId, aggregateId, payload, now, out });
    this.all.push(...out);
    return out;
  }

  config(
    now: number,
    policies: PolicyInit[],
    calendars: CalendarInit[] = [],
    version = ++this.n,
  ): SlaEvent[] {
    return this.input(this.tenantId, configApplied(version, policies, calendars), now);
  }

  tick(now: number): SlaEvent[] {
    const out = decide(this.state, { kind: 'tick' }, now);
    for (const e of out) evolve(this.state, e);
    this.steps.push({ kind: 'tick', now, out });
    this.all.push(...out);
    return out;
  }
}

const iso = (ms: number) => new Date(ms).toISOString().replace(':00.000Z', 'Z');

/** One line per event: kind, clock, and the fields that matter for it. */
export function describe1(e: SlaEvent): string {
  const p = e.payload;
  const c = p.value.clock;
  const clock = c ? `${c.conversationId}/${SlaTarget[c.target]}/${c.sequence}` : '?';
  switch (p.case) {
    case 'slaClockStarted':
      return `started ${clock} policy=${c?.policyId} target=${p.value.targetSeconds}s${
        p.value.paused ? ' paused' : ` due=${iso(msFromTs(p.value.dueAt))}`
      }${p.value.previousPolicyId ? ` from=${p.value.previousPolicyId} elapsed=${p.value.elapsedMs}ms` : ''}`;
    case 'slaClockPaused':
      return `paused ${clock} elapsed=${p.value.elapsedMs}ms`;
    case 'slaClockResumed':
      return `resumed ${clock} due=${iso(msFromTs(p.value.dueAt))}`;
    case 'slaWarningRaised':
      return `warning ${clock} ${p.value.thresholdPercent}% at=${iso(msFromTs(p.value.reachedAt))}`;
    case 'slaBreached':
      return `breached ${clock} at=${iso(msFromTs(p.value.breachedAt))}`;
    case 'slaMet':
      return `met ${clock} elapsed=${p.value.elapsedMs}ms`;
    case 'slaClockCancelled':
      return `cancelled ${clock} ${p.value.reason}`;
  }
}

export const lines = (events: SlaEvent[]) => events.map(describe1);
