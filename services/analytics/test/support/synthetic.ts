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
} from '@switchboard/contracts';

export interface TopicNames {
  conversations: string;
  routing: string;
  sla: string;
}

export interface Routed {
  topic: string;
  envelope: Envelope;
}

const CHANNELS = [Channel.CHAT, Channel.VOICE, Channel.EMAIL];
const QUEUES = ['sales', 'support', 'billing'];

/**
 * A deterministic stream of complete conversations (started, queued, offered, assigned, first
 * response, SLA met, released, resolved, CSAT: 9 events each) plus agent presence changes, spread
 * over `tenants`, each event addressed to the topic its producer would write.
 */
export function* syntheticEvents(opts: {
  topics: TopicNames;
  conversations: number;
  tenants: number;
  startMs: number;
  /** Prefix of ids, so that separate runs never share event ids. */
  run: string;
  /** recorded_at of every event (the bench stamps send time); occurred_at otherwise. */
  recordedAtMs?: () => number;
}): Generator<Routed> {
  const { topics } = opts;
  for (let i = 0; i < opts.conversations; i++) {
    const tenantId = `tenant-${i % opts.tenants}`;
    const conv = `${opts.run}-c${i}`;
    const agent = `agent-${i % 50}`;
    const offer = `${conv}-o`;
    const t = opts.startMs + i * 200;
    const channel = CHANNELS[i % CHANNELS.length]!;
    const queueId = QUEUES[i % QUEUES.length]!;
    let n = 0;
    const ev = (topic: string, dt: number, payload: unknown, aggregateId = conv): Routed => {
      n += 1;
      return {
        topic,
        envelope: newEnvelope({
          eventId: `${conv}-${n}`,
          tenantId,
          aggregateId,
          occurredAtMs: t + dt,
          ...(opts.recordedAtMs ? { recordedAtMs: opts.recordedAtMs() } : {}),
          source: 'synthetic',
          payload: payload as EnvelopePayload,
        }),
      };
    };
    const clock = create(SlaClockSchema, {
      conversationId: conv,
      target: SlaTarget.FIRST_RESPONSE,
      policyId: 'p',
    });
    const customer = { id: `cust-${i % 997}`, tier: i % 5 === 0 ? 'gold' : '' };
    yield ev(topics.conversations, 0, {
      case: 'conversationStarted',
      value: { channel, customer, attributes: {} },
    });
    yield ev(topics.routing, 100, {
      case: 'conversationQueued',
      value: {
        conversationId: conv,
        queueId,
        priority: 0,
        channel,
        customerId: customer.id,
        customerTier: customer.tier,
      },
    });
    yield ev(topics.routing, 900, {
      case: 'conversationOffered',
      value: {
        conversationId: conv,
        offerId: offer,
        agentId: agent,
        queueId,
        channel,
        reason: { summary: 'least loaded' },
      },
    });
    yield ev(topics.routing, 2_000 + (i % 7) * 1000, {
      case: 'conversationAssigned',
      value: { conversationId: conv, offerId: offer, agentId: agent, queueId, channel },
    });
    yield ev(topics.conversations, 12_000, { case: 'agentMessageSent', value: { agentId: agent } });
    yield ev(topics.sla, 12_000, { case: 'slaMet', value: { clock, elapsedSeconds: 12 } });
    yield ev(topics.routing, 60_000 + (i % 11) * 5000, {
      case: 'conversationReleased',
      value: { conversationId: conv, agentId: agent, reason: ReleaseReason.COMPLETED },
    });
    yield ev(topics.conversations, 125_000, { case: 'conversationResolved', value: {} });
    yield ev(topics.conversations, 130_000, { case: 'csatSubmitted', value: { score: 1 + (i % 5) } });
    if (i % 25 === 0) {
      const presence = [Presence.AVAILABLE, Presence.AWAY, Presence.WRAP_UP][(i / 25) % 3]!;
      yield ev(topics.routing, 10, { case: 'agentStateChanged', value: { agentId: agent, presence } }, agent);
    }
  }
}
