import { Channel, type EnvelopePayload, SlaTarget } from '@switchboard/contracts';
import type { ConversationFacts } from './types';

/** A target episode the facts say is running: the clock it needs. */
export interface Episode {
  target: SlaTarget;
  sequence: number;
  originMs: number;
}

/**
 * Folds one input into a conversation's facts; returns a new object (the argument is never changed),
 * or the same object when the input changes nothing, or undefined for an unknown conversation.
 */
export function applyInput(
  facts: ConversationFacts | undefined,
  conversationId: string,
  payload: EnvelopePayload,
  t: number,
): ConversationFacts | undefined {
  if (!facts) {
    if (payload.case === 'conversationStarted')
      return opened(conversationId, payload.value.channel, payload.value.customer?.tier ?? '', t, true);
    if (payload.case === 'botHandoffRequested' && payload.value.channel !== Channel.UNSPECIFIED)
      return opened(conversationId, payload.value.channel, payload.value.customer?.tier ?? '', t, true);
    if (payload.case === 'conversationQueued') {
      const f = opened(conversationId, payload.value.channel, payload.value.customerTier, t, false);
      return applyInput(f, conversationId, payload, t);
    }
    return undefined;
  }
  const f = { ...facts };
  switch (payload.case) {
    case 'conversationStarted':
      if (f.startedSeen) return facts;
      f.startedSeen = true;
      if (f.channel === Channel.UNSPECIFIED) f.channel = payload.value.channel;
      if (!f.customerTier) f.customerTier = payload.value.customer?.tier ?? '';
      return f;
    case 'customerMessageReceived':
      if (!f.open) return facts;
      f.pendingSinceMs = -1;
      if (f.firstResponseOver && f.nextResponseOriginMs < 0) {
        f.nextResponseSeq += 1;
        f.nextResponseOriginMs = t;
      }
      return f;
    case 'agentMessageSent':
      if (!f.open) return facts;
      f.firstResponseOver = true;
      f.nextResponseOriginMs = -1;
      f.pendingSinceMs = t;
      return f;
    case 'conversationResolved':
    case 'conversationAbandoned':
      if (!f.open) return facts;
      f.open = false;
      f.closedAtMs = t;
      f.firstResponseOver = true;
      f.nextResponseOriginMs = -1;
      f.assignmentOriginMs = -1;
      f.pendingSinceMs = -1;
      return f;
    case 'conversationReopened':
      if (f.open) return facts;
      f.open = true;
      f.closedAtMs = -1;
      f.resolutionSeq += 1;
      f.resolutionOriginMs = t;
      return f;
    case 'conversationQueued': {
      if (!f.open) return facts;
      const q = payload.value;
      if (q.channel !== Channel.UNSPECIFIED) f.channel = q.channel;
      if (q.customerTier) f.customerTier = q.customerTier;
      f.priority = q.priority;
      f.queueId = q.queueId;
      if (f.assignmentOriginMs < 0) {
        f.assignmentSeq += 1;
        f.assignmentOriginMs = t;
      }
      return f;
    }
    case 'conversationAssigned':
      if (!f.open) return facts;
      f.assignmentOriginMs = -1;
      if (payload.value.queueId) f.queueId = payload.value.queueId;
      return f;
    case 'conversationDequeued':
      if (!f.open) return facts;
      f.assignmentOriginMs = -1;
      return f;
    case 'conversationEscalated':
      if (!f.open) return facts;
      if (payload.value.newQueueId) f.queueId = payload.value.newQueueId;
      f.priority = payload.value.newPriority;
      return f;
    case 'conversationTransferred':
      if (!f.open || payload.value.target.case !== 'queueId') return facts;
      f.queueId = payload.value.target.value;
      return f;
    default:
      return facts;
  }
}

/** The episodes running according to the facts, in a fixed target order. */
export function activeEpisodes(f: ConversationFacts): Episode[] {
  if (!f.open) return [];
  const out: Episode[] = [];
  if (!f.firstResponseOver)
    out.push({ target: SlaTarget.FIRST_RESPONSE, sequence: 0, originMs: f.startedAtMs });
  if (f.nextResponseOriginMs >= 0)
    out.push({
      target: SlaTarget.NEXT_RESPONSE,
      sequence: f.nextResponseSeq,
      originMs: f.nextResponseOriginMs,
    });
  out.push({ target: SlaTarget.RESOLUTION, sequence: f.resolutionSeq, originMs: f.resolutionOriginMs });
  if (f.assignmentOriginMs >= 0)
    out.push({
      target: SlaTarget.TIME_TO_ASSIGNMENT,
      sequence: f.assignmentSeq,
      originMs: f.assignmentOriginMs,
    });
  return out;
}

function opened(
  id: string,
  channel: Channel,
  tier: string,
  t: number,
  startedSeen: boolean,
): ConversationFacts {
  return {
    id,
    channel,
    customerTier: tier,
    priority: 0,
    queueId: '',
    open: true,
    closedAtMs: -1,
    startedAtMs: t,
    startedSeen,
    firstResponseOver: false,
    resolutionSeq: 0,
    resolutionOriginMs: t,
    nextResponseSeq: 0,
    nextResponseOriginMs: -1,
    assignmentSeq: -1,
    assignmentOriginMs: -1,
    pendingSinceMs: -1,
  };
}
