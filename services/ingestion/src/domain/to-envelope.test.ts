import { Channel, msFromTs } from '@switchboard/contracts';
import type { IncomingEvent } from './events';
import { type RecordContext, toEnvelopes } from './to-envelope';

const ctx: RecordContext = {
  tenantId: 'acme',
  source: 'acme-chat',
  recordedAtMs: 1_767_000_000_000,
  correlationId: 'corr-1',
};
const pointerOf = (i: number) => `/events/${i}`;
const at = '2026-01-02T03:04:05.123+01:00';

describe('toEnvelopes', () => {
  it('given a started event, records tenant, source, times and correlation id from the context', () => {
    const event: IncomingEvent = {
      id: 'e1',
      type: 'conversation.started',
      conversationId: 'c1',
      occurredAt: at,
      channel: 'web_form',
      customer: { id: 'u1' },
    };

    const result = toEnvelopes([event], ctx, pointerOf);

    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const [envelope] = result.envelopes;
    expect(envelope).toMatchObject({
      eventId: 'e1',
      tenantId: 'acme',
      aggregateId: 'c1',
      source: 'acme-chat',
      correlationId: 'corr-1',
      causationId: '',
    });
    expect(msFromTs(envelope!.occurredAt)).toBe(Date.parse('2026-01-02T02:04:05.123Z'));
    expect(msFromTs(envelope!.recordedAt)).toBe(ctx.recordedAtMs);
    expect(envelope!.payload).toMatchObject({
      case: 'conversationStarted',
      value: { channel: Channel.WEB_FORM, customer: { id: 'u1', tier: '' }, attributes: {} },
    });
  });

  it('given a hand-off that starts the conversation, keeps its channel, customer and attributes', () => {
    const event: IncomingEvent = {
      id: 'h1',
      type: 'handoff.requested',
      conversationId: 'c1',
      occurredAt: at,
      channel: 'voice',
      customer: { id: 'u1', tier: 'gold' },
      attributes: { intent: 'refund' },
    };

    const result = toEnvelopes([event], ctx, pointerOf);

    expect(result.ok && result.envelopes[0]!.payload).toMatchObject({
      case: 'botHandoffRequested',
      value: {
        botId: '',
        channel: Channel.VOICE,
        customer: { id: 'u1', tier: 'gold' },
        attributes: { intent: 'refund' },
      },
    });
  });

  it('given a hand-off without channel or customer, leaves them unset', () => {
    const event: IncomingEvent = {
      id: 'h1',
      type: 'handoff.requested',
      conversationId: 'c1',
      occurredAt: at,
      botId: 'b',
    };

    const result = toEnvelopes([event], ctx, pointerOf);

    expect(result.ok).toBe(true);
    const value = result.ok ? result.envelopes[0]!.payload.value : undefined;
    expect(value).toMatchObject({ channel: Channel.UNSPECIFIED, botId: 'b' });
    expect(value && 'customer' in value ? value.customer : undefined).toBeUndefined();
  });

  it('given a date-time that names no instant, refuses the whole batch with its pointer', () => {
    const good: IncomingEvent = {
      id: 'a',
      type: 'csat.submitted',
      conversationId: 'c',
      occurredAt: at,
      score: 3,
    };
    const leap: IncomingEvent = { ...good, id: 'b', occurredAt: '2026-12-31T23:59:60Z' };

    const result = toEnvelopes([good, leap], ctx, pointerOf);

    expect(result).toEqual({
      ok: false,
      problems: [{ pointer: '/events/1/occurredAt', detail: expect.any(String) }],
    });
  });
});
