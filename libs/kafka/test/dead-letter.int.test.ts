import type { ConsumedEnvelope } from '../src';
import { conversationStarted, freshTopic, kafkaClient, readRaw, waitUntil } from './helpers';

describe('dead-lettering against a real broker', () => {
  const kafka = kafkaClient();
  const admin = kafka.admin();
  const topic = freshTopic('dlq-input');
  const dlq = freshTopic('dlq');

  beforeAll(async () => {
    await admin.ensureTopics([
      { topic, partitions: 1 },
      { topic: dlq, partitions: 1, retentionMs: 7 * 24 * 3600 * 1000 },
    ]);
  });

  afterAll(async () => {
    await admin.deleteTopics([topic, dlq]);
    await admin.disconnect();
  });

  it('sends an undecodable message to the dead-letter topic with its reason and keeps consuming', async () => {
    const producer = kafka.producer();
    await producer.sendRaw(topic, [
      {
        key: 'tenant-x',
        value: Buffer.from('this is not protobuf \u00ff\u00ff'),
        headers: { origin: 'junk-adapter' },
      },
    ]);
    await producer.send(topic, [conversationStarted('after-junk', 'tenant-x')]);
    await producer.disconnect();

    const received: ConsumedEnvelope[] = [];
    const consumer = kafka.consumer({
      groupId: `g-${topic}`,
      topics: [topic],
      fromBeginning: true,
      deadLetterTopic: dlq,
    });
    await consumer.run(async (batch) => {
      received.push(...batch);
    });
    await waitUntil('the valid message after the junk', () => received.length === 1, 30_000);
    await consumer.stop();
    expect(received[0]!.envelope.eventId).toBe('after-junk');
    expect(received[0]!.offset).toBe('1');

    // Read the dead-letter topic raw, as an operator's tool would.
    const dead = await readRaw(dlq, 1, 0);
    const [letter] = dead;
    expect(letter!.key).toBe('tenant-x');
    expect(letter!.value).toEqual(Buffer.from('this is not protobuf \u00ff\u00ff'));
    expect(letter!.headers).toMatchObject({
      origin: 'junk-adapter',
      'dlq.error-code': 'ENVELOPE_UNDECODABLE',
      'dlq.topic': topic,
      'dlq.partition': '0',
      'dlq.offset': '0',
      'dlq.consumer': `g-${topic}`,
    });
    expect(letter!.headers['dlq.reason']).toMatch(/not a protobuf Envelope/);
  });
});
