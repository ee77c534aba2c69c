import pino from 'pino';
import { KafkaLibError } from './errors';
import { createKafka } from './kafka';

describe('consumer options', () => {
  const kafka = createKafka(
    { brokers: ['127.0.0.1:1'], clientId: 'options-test' },
    pino({ level: 'silent' }),
  );

  it.each([0, -1, 1.5])('refuses partitionsConsumedConcurrently %p', (n) => {
    expect(() => kafka.consumer({ groupId: 'g', topics: ['t'], partitionsConsumedConcurrently: n })).toThrow(
      expect.objectContaining({ code: 'KAFKA_ERR_INVALID_OPTIONS' }),
    );
  });

  it('accepts a positive partitionsConsumedConcurrently', () => {
    expect(() =>
      kafka.consumer({ groupId: 'g', topics: ['t'], partitionsConsumedConcurrently: 48 }),
    ).not.toThrow(KafkaLibError);
  });
});
