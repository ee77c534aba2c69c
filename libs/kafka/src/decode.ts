import { decodeEnvelope, EnvelopeError } from '@switchboard/contracts';
import type { KafkaMessage } from 'kafkajs';
import { buildDeadLetter, type DeadLetterMessage } from './dead-letter';
import { decodeHeaders } from './headers';
import type { ConsumedEnvelope } from './types';

export type DecodeResult =
  | { ok: true; consumed: ConsumedEnvelope }
  | { ok: false; deadLetter: DeadLetterMessage; errorCode: string };

/** Decodes one fetched record into an envelope, or into its dead-letter record with the reason. */
export function decodeMessage(
  topic: string,
  partition: number,
  message: Pick<KafkaMessage, 'key' | 'value' | 'offset' | 'headers'>,
  consumerGroup: string,
): DecodeResult {
  const headers = decodeHeaders(message.headers);
  const key = message.key ? message.key.toString('utf8') : '';
  let reason: string;
  let errorCode: string;
  if (!message.value || message.value.length === 0) {
    reason = 'message has no value';
    errorCode = 'ENVELOPE_UNDECODABLE';
  } else {
    try {
      const envelope = decodeEnvelope(message.value);
      return { ok: true, consumed: { topic, partition, offset: message.offset, key, envelope, headers } };
    } catch (err) {
      if (!(err instanceof EnvelopeError)) throw err;
      reason = err.message;
      errorCode = err.code;
    }
  }
  const deadLetter = buildDeadLetter(
    { topic, partition, offset: message.offset, key: message.key, value: message.value, headers },
    { reason, errorCode, consumerGroup },
  );
  return { ok: false, deadLetter, errorCode };
}
