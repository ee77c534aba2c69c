import { CHANNELS, type EventType, MAX_BATCH_EVENTS } from '../../domain/events';

/**
 * JSON schemas of the public API. They validate requests (fastify's ajv, all errors) and document
 * them (OpenAPI at /docs), so the two cannot drift apart.
 */
const identifier = { type: 'string', minLength: 1, maxLength: 256 } as const;
const shortText = { type: 'string', maxLength: 1024 } as const;
const longText = { type: 'string', maxLength: 16_384 } as const;
const channel = { type: 'string', enum: [...CHANNELS] } as const;
const customer = {
  type: 'object',
  required: ['id'],
  additionalProperties: false,
  properties: { id: identifier, tier: { type: 'string', maxLength: 64 } },
} as const;
const attributes = {
  type: 'object',
  description: 'Routing attributes (language, topic, ...): string values only.',
  maxProperties: 64,
  propertyNames: { minLength: 1, maxLength: 128 },
  additionalProperties: { type: 'string', maxLength: 1024 },
} as const;

function variant(
  type: EventType,
  description: string,
  required: string[],
  properties: Record<string, object>,
) {
  return {
    type: 'object',
    title: type,
    description,
    required: ['id', 'type', 'conversationId', 'occurredAt', ...required],
    additionalProperties: false,
    properties: {
      id: { ...identifier, description: "The adapter's unique event id: the idempotency key." },
      type: { const: type },
      conversationId: identifier,
      occurredAt: { type: 'string', format: 'date-time', description: 'ISO-8601 with offset.' },
      channel,
      ...properties,
    },
  };
}

export const eventSchema = {
  $id: 'Event',
  type: 'object',
  description: 'One conversation event; `type` selects the fields it needs.',
  required: ['type'],
  discriminator: { propertyName: 'type' },
  oneOf: [
    variant('conversation.started', 'A customer started a conversation.', ['channel', 'customer'], {
      customer,
      attributes,
    }),
    variant('message.received', 'The customer wrote or said something.', [], { text: longText }),
    variant('message.sent', 'An agent answered the customer.', ['agentId'], {
      agentId: identifier,
      text: longText,
    }),
    variant('conversation.resolved', 'The conversation was resolved.', [], { resolution: shortText }),
    variant('conversation.abandoned', 'The customer left before being served.', [], { reason: shortText }),
    variant('conversation.reopened', 'A resolved conversation came back.', [], { reason: shortText }),
    variant('csat.submitted', 'The customer rated the conversation.', ['score'], {
      score: { type: 'integer', minimum: 1, maximum: 5 },
    }),
    variant('handoff.requested', 'A bot asks for a human to take over.', [], {
      botId: identifier,
      customer,
      attributes,
      summary: longText,
    }),
  ],
} as const;

export const batchSchema = {
  $id: 'EventBatch',
  type: 'object',
  required: ['events'],
  additionalProperties: false,
  properties: {
    events: { type: 'array', minItems: 1, maxItems: MAX_BATCH_EVENTS, items: { $ref: 'Event#' } },
  },
} as const;

/** One event, or `{ "events": [...] }`: the presence of `events` decides which. */
export const postEventsBody = {
  if: { type: 'object', required: ['events'] },
  // biome-ignore lint/suspicious/noThenProperty: JSON schema keyword
  then: { $ref: 'EventBatch#' },
  else: { $ref: 'Event#' },
} as const;

export const problemSchema = {
  $id: 'Problem',
  type: 'object',
  description: 'RFC 9457 problem document.',
  required: ['type', 'title', 'status', 'code'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    code: { type: 'string', description: 'Stable error code (ING_ERR_...).' },
    detail: { type: 'string' },
    instance: { type: 'string' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['pointer', 'detail'],
        properties: { pointer: { type: 'string' }, detail: { type: 'string' } },
      },
    },
  },
} as const;

export const acceptedSchema = {
  type: 'object',
  required: ['accepted'],
  properties: { accepted: { type: 'integer', description: 'Events durably written.' } },
} as const;
