/** Headers the dead-letter topic adds to the original message (original headers are kept). */
export const DeadLetterHeaders = {
  reason: 'dlq.reason',
  errorCode: 'dlq.error-code',
  topic: 'dlq.topic',
  partition: 'dlq.partition',
  offset: 'dlq.offset',
  consumerGroup: 'dlq.consumer',
} as const;

export interface DeadLetterSource {
  topic: string;
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

export interface DeadLetterProblem {
  /** Human-readable reason, for example the decoder's message. */
  reason: string;
  /** Stable code, for example ENVELOPE_UNDECODABLE. */
  errorCode: string;
  consumerGroup: string;
}

export interface DeadLetterMessage {
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

/** Reasons are capped so that a huge decoder message cannot push the record over the size limit. */
const MAX_REASON_LENGTH = 1024;

/** The dead-letter record for a message: the raw key and value, the original headers plus `dlq.*`. */
export function buildDeadLetter(source: DeadLetterSource, problem: DeadLetterProblem): DeadLetterMessage {
  const reason =
    problem.reason.length > MAX_REASON_LENGTH
      ? `${problem.reason.slice(0, MAX_REASON_LENGTH)}…`
      : problem.reason;
  return {
    key: source.key,
    value: source.value,
    headers: {
      ...source.headers,
      [DeadLetterHeaders.reason]: reason,
      [DeadLetterHeaders.errorCode]: problem.errorCode,
      [DeadLetterHeaders.topic]: source.topic,
      [DeadLetterHeaders.partition]: String(source.partition),
      [DeadLetterHeaders.offset]: source.offset,
      [DeadLetterHeaders.consumerGroup]: problem.consumerGroup,
    },
  };
}
