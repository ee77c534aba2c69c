import { create, toBinary } from '@bufbuild/protobuf';
import {
  Channel,
  ConversationStartedSchema,
  EnvelopeSchema,
  encodeEnvelope,
  newEnvelope,
} from '@switchboard/contracts';
import { buildDeadLetter, DeadLetterHeaders } from './dead-letter';
import { decodeMessage } from './decode';

const source = {
  topic: 'switchboard.conversations.v1',
  partition: 7,
  offset: '12345678901234',
  key: Buffer.from('acme'),
  value: Buffer.from([0xff, 0x00]),
  headers: { traceparent: '00-1-2-01', 'x-request-id': 'r1' },
};

describe('buildDeadLetter', () => {
  it('keeps the raw key, value and original headers and adds every dlq header', () => {
    const dl = buildDeadLetter(source, {
      reason: 'bad bytes',
      errorCode: 'ENVELOPE_UNDECODABLE',
      consumerGroup: 'g1',
    });
    expect(dl.key).toBe(source.key);
    expect(dl.value).toBe(source.value);
    expect(dl.headers).toEqual({
      traceparent: '00-1-2-01',
      'x-request-id': 'r1',
      'dlq.reason': 'bad bytes',
      'dlq.error-code': 'ENVELOPE_UNDECODABLE',
      'dlq.topic': 'switchboard.conversations.v1',
      'dlq.partition': '7',
      'dlq.offset': '12345678901234',
      'dlq.consumer': 'g1',
    });
  });

  it('lets dlq headers win over same-named original headers and caps long reasons', () => {
    const dl = buildDeadLetter(
      { ...source, headers: { 'dlq.reason': 'forged' } },
      { reason: 'x'.repeat(5000), errorCode: 'E', consumerGroup: 'g' },
    );
    expect(dl.headers[DeadLetterHeaders.reason]!.length).toBeLessThanOrEqual(1025);
    expect(dl.headers[DeadLetterHeaders.reason]!.startsWith('xxx')).toBe(true);
  });
});

describe('decodeMessage', () => {
  const envelope = newEnvelope({
    eventId: 'e1',
    tenantId: 'acme',
    aggregateId: 'c1',
    occurredAtMs: 1_700_000_000_000,
    source: 'test',
    payload: {
      case: 'conversationStarted',
      value: create(ConversationStartedSchema, { channel: Channel.CHAT }),
    },
  });

  it('decodes a valid envelope with key, offset and string headers', () => {
    const result = decodeMessage(
      't',
      1,
      {
        key: Buffer.from('acme'),
        value: Buffer.from(encodeEnvelope(envelope)),
        offset: '5',
        headers: { h: Buffer.from('v') },
      },
      'g',
    );
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.consumed).toMatchObject({
        topic: 't',
        partition: 1,
        offset: '5',
        key: 'acme',
        headers: { h: 'v' },
      });
      expect(result.consumed.envelope.eventId).toBe('e1');
    }
  });

  it('dead-letters bytes that are not an envelope with ENVELOPE_UNDECODABLE', () => {
    const result = decodeMessage(
      't',
      2,
      { key: null, value: Buffer.from([0xff, 0xff, 0xff]), offset: '9', headers: {} },
      'g',
    );
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errorCode).toBe('ENVELOPE_UNDECODABLE');
      expect(result.deadLetter.headers['dlq.offset']).toBe('9');
      expect(result.deadLetter.value).toEqual(Buffer.from([0xff, 0xff, 0xff]));
    }
  });

  it('dead-letters a well-formed but invalid envelope with ENVELOPE_INVALID and the problems as reason', () => {
    const bytes = toBinary(EnvelopeSchema, create(EnvelopeSchema, { eventId: 'x' }));
    const result = decodeMessage(
      't',
      0,
      { key: null, value: Buffer.from(bytes), offset: '0', headers: {} },
      'g',
    );
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errorCode).toBe('ENVELOPE_INVALID');
      expect(result.deadLetter.headers['dlq.reason']).toMatch(/tenant_id is empty/);
    }
  });

  it('dead-letters a message without value (tombstone)', () => {
    const result = decodeMessage(
      't',
      0,
      { key: Buffer.from('k'), value: null, offset: '3', headers: {} },
      'g',
    );
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.deadLetter.headers['dlq.reason']).toBe('message has no value');
  });
});
