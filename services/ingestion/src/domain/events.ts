/**
 * The JSON events channel adapters post, after schema validation. Field names are the public API
 * (docs/api/ingestion.md); the protobuf payloads they become live in @switchboard/contracts.
 */
export const CHANNELS = ['voice', 'chat', 'email', 'sms', 'social', 'video', 'app', 'web_form'] as const;
export type ChannelName = (typeof CHANNELS)[number];

export const EVENT_TYPES = [
  'conversation.started',
  'message.received',
  'message.sent',
  'conversation.resolved',
  'conversation.abandoned',
  'conversation.reopened',
  'csat.submitted',
  'handoff.requested',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Most events per request. */
export const MAX_BATCH_EVENTS = 500;

export interface CustomerJson {
  id: string;
  tier?: string;
}

interface Common<T extends EventType> {
  /** The adapter's unique event id: the idempotency key within the tenant. */
  id: string;
  type: T;
  conversationId: string;
  /** ISO-8601 date-time with offset. */
  occurredAt: string;
  /** Optional for every type but conversation.started; checked against the key's channels when given. */
  channel?: ChannelName;
}

export interface ConversationStartedJson extends Common<'conversation.started'> {
  channel: ChannelName;
  customer: CustomerJson;
  attributes?: Record<string, string>;
}
export interface MessageReceivedJson extends Common<'message.received'> {
  text?: string;
}
export interface MessageSentJson extends Common<'message.sent'> {
  agentId: string;
  text?: string;
}
export interface ConversationResolvedJson extends Common<'conversation.resolved'> {
  resolution?: string;
}
export interface ConversationAbandonedJson extends Common<'conversation.abandoned'> {
  reason?: string;
}
export interface ConversationReopenedJson extends Common<'conversation.reopened'> {
  reason?: string;
}
export interface CsatSubmittedJson extends Common<'csat.submitted'> {
  score: number;
}
export interface HandoffRequestedJson extends Common<'handoff.requested'> {
  botId?: string;
  customer?: CustomerJson;
  attributes?: Record<string, string>;
  summary?: string;
}

export type IncomingEvent =
  | ConversationStartedJson
  | MessageReceivedJson
  | MessageSentJson
  | ConversationResolvedJson
  | ConversationAbandonedJson
  | ConversationReopenedJson
  | CsatSubmittedJson
  | HandoffRequestedJson;

/** What a validated request body is: one event, or a batch. */
export type IncomingBody = IncomingEvent | { events: IncomingEvent[] };

export function eventsOf(body: IncomingBody): IncomingEvent[] {
  return 'events' in body ? body.events : [body];
}
