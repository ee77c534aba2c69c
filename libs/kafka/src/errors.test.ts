import { isUnavailable, KafkaLibError, toProduceError } from './errors';

function named(name: string, message: string, extra: object = {}): Error {
  const err = new Error(message);
  err.name = name;
  return Object.assign(err, extra);
}

describe('produce error mapping', () => {
  it('maps connection failures, also nested in retries-exceeded errors, to KAFKA_ERR_UNAVAILABLE', () => {
    const connection = named('KafkaJSConnectionError', 'Connection error: connect ECONNREFUSED 127.0.0.1:1');
    expect(toProduceError(connection).code).toBe('KAFKA_ERR_UNAVAILABLE');
    const nested = named('KafkaJSNonRetriableError', 'gave up', { originalError: connection });
    expect(isUnavailable(nested)).toBe(true);
  });

  it('maps a broker refusal to KAFKA_ERR_PRODUCE_FAILED', () => {
    const refused = named('KafkaJSProtocolError', 'This server does not host this topic-partition');
    expect(toProduceError(refused).code).toBe('KAFKA_ERR_PRODUCE_FAILED');
  });

  it('keeps errors that already carry a code', () => {
    const coded = new KafkaLibError('KAFKA_ERR_BUFFER_FULL', 'full');
    expect(toProduceError(coded)).toBe(coded);
  });
});
