import { conversationStarted, freshTopic, kafkaClient, waitUntil } from './helpers';

describe('admin().committedOffsets', () => {
  const kafka = kafkaClient('committed-offsets-test');

  it("returns a group's committed offset per partition, and nothing for partitions it never committed", async () => {
    const topic = freshTopic('committed');
    const groupId = `${topic}.group`;
    const admin = kafka.admin();
    try {
      await admin.ensureTopics([{ topic, partitions: 3 }]);
      expect(await admin.committedOffsets(groupId, topic)).toEqual({});

      const producer = kafka.producer();
      await producer.connect();
      // One tenant: every record lands on the same partition.
      await producer.send(
        topic,
        Array.from({ length: 7 }, (_, i) => conversationStarted(`c${i}`, 'tenant-one')),
      );
      await producer.disconnect();

      let seen = 0;
      let partition = -1;
      const consumer = kafka.consumer({ groupId, topics: [topic], fromBeginning: true });
      await consumer.run(async (batch, ctx) => {
        seen += batch.length;
        partition = ctx.partition;
      });
      await waitUntil('all consumed', () => seen === 7, 30_000);
      await consumer.stop();

      expect(await admin.committedOffsets(groupId, topic)).toEqual({ [partition]: '7' });
    } finally {
      await admin.deleteTopics([topic]).catch(() => undefined);
      await admin.disconnect();
    }
  });
});
