import { create } from '@bufbuild/protobuf';
import {
  AgentMessageSentSchema,
  BotHandoffRequestedSchema,
  Channel,
  ConversationAbandonedSchema,
  ConversationReopenedSchema,
  ConversationResolvedSchema,
  ConversationStartedSchema,
  CsatSubmittedSchema,
  type Customer,
  CustomerMessageReceivedSchema,
  CustomerSchema,
  type Envelope,
  type EnvelopePayload,
  newEnvelope,
} from '@switchboard/contracts';
import type { Problem } from '../errors';
import type { ChannelName, CustomerJson, IncomingEvent } from './events';

/** Who posted the events and when Switchboard recorded them. */
export interface RecordContext {
  /** From the API key, never from the body. */
  tenantId: string;
  /** The API key's name. */
  source: string;
  recordedAtMs: number;
  /** Shared by every event of one request. */
  correlationId: string;
}

const CHANNEL_VALUES: Record<ChannelName, Channel> = {
  voice: Channel.VOICE,
  chat: Channel.CHAT,
  email: Channel.EMAIL,
  sms: Channel.SMS,
  social: Channel.SOCIAL,
  video: Channel.VIDEO,
  app: Channel.APP,
  web_form: Channel.WEB_FORM,
};

export type ConversionResult = { ok: true; envelopes: Envelope[] } | { ok: false; problems: Problem[] };

/**
 * Converts schema-valid events into envelopes, all or none: any event that cannot be represented
 * (a date-time that names no instant, such as a leap second) fails the whole request.
 */
export function toEnvelopes(
  events: readonly IncomingEvent[],
  ctx: RecordContext,
  pointerOf: (index: number) => string,
): ConversionResult {
  const envelopes: Envelope[] = [];
  const problems: Problem[] = [];
  events.forEach((event, index) => {
    const occurredAtMs = Date.parse(event.occurredAt);
    if (!Number.isFinite(occurredAtMs)) {
      problems.push({
        pointer: `${pointerOf(index)}/occurredAt`,
        detail: 'must be a representable date-time',
      });
      return;
    }
    envelopes.push(
      newEnvelope({
        eventId: event.id,
        tenantId: ctx.tenantId,
        aggregateId: event.conversationId,
        occurredAtMs,
        recordedAtMs: ctx.recordedAtMs,
        source: ctx.source,
        correlationId: ctx.correlationId,
        payload: payloadOf(event),
      }),
    );
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, envelopes };
}

function payloadOf(event: IncomingEvent): EnvelopePayload {
  switch (event.type) {
    case 'conversation.started':
      return {
        case: 'conversationStarted',
        value: create(ConversationStartedSchema, {
          channel: CHANNEL_VALUES[event.channel],
          customer: customerOf(event.customer),
          attributes: { ...event.attributes },
        }),
      };
    case 'message.received':
      return {
        case: 'customerMessageReceived',
        value: create(CustomerMessageReceivedSchema, { text: event.text ?? '' }),
      };
    case 'message.sent':
      return {
        case: 'agentMessageSent',
        value: create(AgentMessageSentSchema, { agentId: event.agentId, text: event.text ?? '' }),
      };
    case 'conversation.resolved':
      return {
        case: 'conversationResolved',
        value: create(ConversationResolvedSchema, { resolution: event.resolution ?? '' }),
      };
    case 'conversation.abandoned':
      return {
        case: 'conversationAbandoned',
        value: create(ConversationAbandonedSchema, { reason: event.reason ?? '' }),
      };
    case 'conversation.reopened':
      return {
        case: 'conversationReopened',
        value: create(ConversationReopenedSchema, { reason: event.reason ?? '' }),
      };
    case 'csat.submitted':
      return { case: 'csatSubmitted', value: create(CsatSubmittedSchema, { score: event.score }) };
    case 'handoff.requested':
      return {
        case: 'botHandoffRequested',
        value: create(BotHandoffRequestedSchema, {
          botId: event.botId ?? '',
          attributes: { ...event.attributes },
          summary: event.summary ?? '',
          channel: event.channel === undefined ? Channel.UNSPECIFIED : CHANNEL_VALUES[event.channel],
          customer: event.customer === undefined ? undefined : customerOf(event.customer),
        }),
      };
  }
}

function customerOf(customer: CustomerJson): Customer {
  return create(CustomerSchema, { id: customer.id, tier: customer.tier ?? '' });
}
