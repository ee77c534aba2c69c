import { type LocalKafka, startLocalKafka } from '@switchboard/testkit';
import { createKafka, type EnvelopeProducer, type KafkaLibError } from '../src';
import { conversationStarted, freshTopic, logger } from './helpers';

/** Sends until it succeeds or `timeoutMs` passes; returns the coded errors seen on the way. */
async function sendUntilAccepted(
  producer: EnvelopeProducer,
  topic: string,
  timeoutMs: number,
): Promise<string[]> {
  const codes: string[] = [];
  const deadline = Date.now() + timeoutMs;
  for (let i = 0; ; i++) {
    try {
      await producer.send(topic, [conversationStarted(`after-restart-${i}`, 'tenant-r')]);
      return codes;
    } catch (err) {
      codes.push((err as KafkaLibError).code);
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

describe('producer across a broker outage (private broker)', () => {
  let broker: LocalKafka;

  beforeAll(async () => {
    broker = await startLocalKafka({ heap: '512m' });
  }, 120_000);

  afterAll(async () => {
    await broker?.destroy();
  }, 60_000);

  it('fails fast with KAFKA_ERR_UNAVAILABLE while the broker is down and sends again once it is back', async () => {
    const kafka = createKafka({ brokers: [broker.brokers], clientId: 'reconnect-test' }, logger);
    const admin = kafka.admin();
    const topic = freshTopic('reconnect');
    await admin.ensureTopics([{ topic, partitions: 1 }]);
    await admin.disconnect();
    const producer = kafka.producer({ requestTimeoutMs: 3000 });
    await producer.send(topic, [conversationStarted('before-outage', 'tenant-r')]);

    await broker.stop();
    const started = Date.now();
    const error = await producer.send(topic, [conversationStarted('during-outage', 'tenant-r')]).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect((error as KafkaLibError).code).toBe('KAFKA_ERR_UNAVAILABLE');
    expect(Date.now() - started).toBeLessThan(3000 + 2000);

    await broker.start();
    const codesOnTheWay = await sendUntilAccepted(producer, topic, 60_000);
    expect(codesOnTheWay.every((c) => c === 'KAFKA_ERR_UNAVAILABLE')).toBe(true);
    await producer.disconnect();
  });
});
