import { create, toBinary } from '@bufbuild/protobuf';
import { decodeEnvelope, EnvelopeError, encodeEnvelope, isPayload, newEnvelope } from './envelope';
import { Channel, CustomerSchema } from './gen/switchboard/common/v1/common_pb';
import { ConversationStartedSchema } from './gen/switchboard/conversation/v1/events_pb';
import { EnvelopeSchema } from './gen/switchboard/envelope/v1/envelope_pb';
import { msFromTs } from './time';

describe('envelope', () => {
  const started = newEnvelope({
    eventId: 'evt-1',
    tenantId: 'acme',
    aggregateId: 'conv-1',
    occurredAtMs: 1_700_000_000_123,
    recordedAtMs: 1_700_000_000_200,
    source: 'chat-adapter',
    correlationId: 'req-9',
    payload: {
      case: 'conversationStarted',
      value: create(ConversationStartedSchema, {
        channel: Channel.CHAT,
        customer: create(CustomerSchema, { id: 'cust-1', tier: 'gold' }),
        attributes: { language: 'de' },
      }),
    },
  });

  it('round-trips through bytes with every field', () => {
    const back = decodeEnvelope(encodeEnvelope(started));
    expect(back.eventId).toBe('evt-1');
    expect(back.schemaVersion).toBe(1);
    expect(msFromTs(back.occurredAt)).toBe(1_700_000_000_123);
    expect(msFromTs(back.recordedAt)).toBe(1_700_000_000_200);
    expect(isPayload(back, 'conversationStarted')).toBe(true);
    if (isPayload(back, 'conversationStarted')) {
      expect(back.payload.value.customer?.tier).toBe('gold');
      expect(back.payload.value.attributes).toEqual({ language: 'de' });
    }
  });

  it('rejects bytes that are not an envelope', () => {
    expect(() => decodeEnvelope(new Uint8Array([0xff, 0xff, 0xff]))).toThrow(EnvelopeError);
  });

  it('rejects an envelope without tenant or payload, listing every problem', () => {
    const bytes = toBinary(EnvelopeSchema, create(EnvelopeSchema, { eventId: 'x' }));
    try {
      decodeEnvelope(bytes);
      throw new Error('expected a failure');
    } catch (err) {
      expect(err).toBeInstanceOf(EnvelopeError);
      expect((err as EnvelopeError).code).toBe('ENVELOPE_INVALID');
      expect((err as Error).message).toMatch(/tenant_id.*aggregate_id.*occurred_at.*payload/);
    }
  });
});
