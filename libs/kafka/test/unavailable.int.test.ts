import { freePort } from '@switchboard/testkit';
import { createKafka, KafkaLibError } from '../src';
import { conversationStarted, logger } from './helpers';

describe('producer without a reachable broker', () => {
  it('rejects with KAFKA_ERR_UNAVAILABLE within its request timeout', async () => {
    const port = await freePort(); // nothing listens there
    const kafka = createKafka(
      { brokers: [`127.0.0.1:${port}`], clientId: 'dead-broker', connectionTimeoutMs: 500 },
      logger,
    );
    const producer = kafka.producer({ requestTimeoutMs: 2000 });
    const started = Date.now();
    const error = await producer.send('any-topic', [conversationStarted('e1', 't1')]).then(
      () => undefined,
      (err: unknown) => err,
    );
    const elapsed = Date.now() - started;
    expect(error).toBeInstanceOf(KafkaLibError);
    expect((error as KafkaLibError).code).toBe('KAFKA_ERR_UNAVAILABLE');
    expect(producer.isConnected()).toBe(false);
    // Bounded: the request timeout plus scheduling slack, far below kafkajs' default 30 s.
    expect(elapsed).toBeLessThan(2000 + 2000);
    await producer.disconnect();
  });
});
