import { create } from '@bufbuild/protobuf';
import {
  Channel,
  type Envelope,
  type EnvelopePayload,
  newEnvelope,
  Presence,
  ReleaseReason,
  SlaClockSchema,
  SlaTarget,
  tsFromMs,
} from '@switchboard/contracts';

/** Builds scenario envelopes for one tenant, with readable helpers per payload kind. */
export class History {
  private n = 0;
  readonly events: Envelope[] = [];

  constructor(
    readonly tenantId: string,
    private readonly t0: number,
  ) {}

  /** Epoch ms `seconds` after the scenario start. */
  at(seconds: number): number {
    return this.t0 + seconds * 1000;
  }

  add(aggregateId: string, seconds: number, payload: EnvelopePayload, eventId?: string): Envelope {
    this.n += 1;
    const e = newEnvelope({
      eventId: eventId ?? `${this.tenantId}-e${this.n}`,
      tenantId: this.tenantId,
      aggregateId,
      occurredAtMs: this.at(seconds),
      source: 'test',
      payload,
    });
    this.events.push(e);
    return e;
  }

  started(conv: string, s: number, channel = Channel.CHAT, customer = { id: 'cust-1', tier: 'gold' }) {
    return this.add(conv, s, {
      case: 'conversationStarted',
      value: { channel, customer, attributes: {} },
    } as unknown as EnvelopePayload);
  }
  queued(conv: string, s: number, queueId: string, channel = Channel.CHAT, priority = 0) {
    return this.add(conv, s, {
      case: 'conversationQueued',
      value: {
        conversationId: conv,
        queueId,
        priority,
        channel,
        customerId: 'cust-1',
        customerTier: 'gold',
        requiredSkills: [],
        atFront: false,
      },
    } as unknown as EnvelopePayload);
  }
  offered(
    conv: string,
    s: number,
    offerId: string,
    agentId: string,
    queueId: string,
    channel = Channel.CHAT,
  ) {
    return this.add(conv, s, {
      case: 'conversationOffered',
      value: {
        conversationId: conv,
        offerId,
        agentId,
        queueId,
        channel,
        expiresAt: tsFromMs(this.at(s + 30)),
        reason: { ruleId: 'rule-1', candidatesConsidered: 3, skipped: [], summary: 'least loaded' },
      },
    } as unknown as EnvelopePayload);
  }
  assigned(
    conv: string,
    s: number,
    offerId: string,
    agentId: string,
    queueId: string,
    channel = Channel.CHAT,
  ) {
    return this.add(conv, s, {
      case: 'conversationAssigned',
      value: { conversationId: conv, offerId, agentId, queueId, channel },
    } as unknown as EnvelopePayload);
  }
  declined(conv: string, s: number, offerId: string, agentId: string) {
    return this.add(conv, s, {
      case: 'offerDeclined',
      value: { conversationId: conv, offerId, agentId, reason: 'busy' },
    } as unknown as EnvelopePayload);
  }
  expired(conv: string, s: number, offerId: string, agentId: string) {
    return this.add(conv, s, {
      case: 'offerExpired',
      value: { conversationId: conv, offerId, agentId, consecutiveMissed: 1 },
    } as unknown as EnvelopePayload);
  }
  agentMessage(conv: string, s: number, agentId: string) {
    return this.add(conv, s, {
      case: 'agentMessageSent',
      value: { agentId, text: '' },
    } as unknown as EnvelopePayload);
  }
  customerMessage(conv: string, s: number) {
    return this.add(conv, s, {
      case: 'customerMessageReceived',
      value: { text: '' },
    } as unknown as EnvelopePayload);
  }
  released(conv: string, s: number, agentId: string, reason = ReleaseReason.COMPLETED, wrapUpSeconds = 0) {
    return this.add(conv, s, {
      case: 'conversationReleased',
      value: { conversationId: conv, agentId, reason, wrapUpSeconds },
    } as unknown as EnvelopePayload);
  }
  transferred(conv: string, s: number, fromAgentId: string, queueId: string) {
    return this.add(conv, s, {
      case: 'conversationTransferred',
      value: { conversationId: conv, fromAgentId, target: { case: 'queueId', value: queueId }, note: '' },
    } as unknown as EnvelopePayload);
  }
  resolved(conv: string, s: number) {
    return this.add(conv, s, {
      case: 'conversationResolved',
      value: { resolution: 'done' },
    } as unknown as EnvelopePayload);
  }
  abandoned(conv: string, s: number) {
    return this.add(conv, s, {
      case: 'conversationAbandoned',
      value: { reason: 'hung up' },
    } as unknown as EnvelopePayload);
  }
  reopened(conv: string, s: number) {
    return this.add(conv, s, {
      case: 'conversationReopened',
      value: { reason: 'again' },
    } as unknown as EnvelopePayload);
  }
  csat(conv: string, s: number, score: number) {
    return this.add(conv, s, { case: 'csatSubmitted', value: { score } } as unknown as EnvelopePayload);
  }
  presence(agentId: string, s: number, presence: Presence) {
    return this.add(agentId, s, {
      case: 'agentStateChanged',
      value: { agentId, presence, skills: [], capacity: [], totalCapacity: 3, reason: 'agent_command' },
    } as unknown as EnvelopePayload);
  }
  slaMet(conv: string, s: number, target: SlaTarget, elapsedSeconds: number, sequence = 0) {
    return this.add(conv, s, {
      case: 'slaMet',
      value: { clock: clock(conv, target, sequence), elapsedSeconds },
    } as unknown as EnvelopePayload);
  }
  slaBreached(conv: string, s: number, target: SlaTarget, sequence = 0) {
    return this.add(conv, s, {
      case: 'slaBreached',
      value: { clock: clock(conv, target, sequence), breachedAt: tsFromMs(this.at(s)) },
    } as unknown as EnvelopePayload);
  }
  slaWarning(conv: string, s: number, target: SlaTarget, thresholdPercent: number) {
    return this.add(conv, s, {
      case: 'slaWarningRaised',
      value: { clock: clock(conv, target, 0), thresholdPercent, dueAt: tsFromMs(this.at(s + 10)) },
    } as unknown as EnvelopePayload);
  }
  slaStarted(conv: string, s: number, target: SlaTarget, targetSeconds: number) {
    return this.add(conv, s, {
      case: 'slaClockStarted',
      value: { clock: clock(conv, target, 0), targetSeconds, dueAt: tsFromMs(this.at(s + targetSeconds)) },
    } as unknown as EnvelopePayload);
  }
}

function clock(conversationId: string, target: SlaTarget, sequence: number) {
  return create(SlaClockSchema, { conversationId, target, sequence, policyId: 'policy-1' });
}

export { Channel, Presence, ReleaseReason, SlaTarget };
