import { encodeEnvelope } from '@switchboard/contracts';
import { Kafka, logLevel } from 'kafkajs';
import type { ConsumedEnvelope } from '../src';
import { brokers, conversationStarted, freshTopic, kafkaClient } from './helpers';

describe('readToEnd', () => {
  const kafka = kafkaClient('read-to-end-test');

  it('reads every partition from its start, or from given offsets, up to the end', async () => {
    const topic = freshTopic('read-to-end');
    const admin = kafka.admin();
    await admin.ensureTopics([{ topic, partitions: 3 }]);
    await admin.disconnect();
    const producer = kafka.producer();
    await producer.connect();
    const tenants = ['t-a', 't-b', 't-c', 't-d'];
    await producer.send(
      topic,
      Array.from({ length: 40 }, (_, i) => conversationStarted(`e${i}`, tenants[i % tenants.length]!)),
    );
    await producer.disconnect();

    const all: ConsumedEnvelope[] = [];
    const whole = await kafka.readToEnd({ topic, onBatch: (batch) => void all.push(...batch) });
    expect(all.map((c) => c.envelope.eventId).sort()).toEqual(
      Array.from({ length: 40 }, (_, i) => `e${i}`).sort(),
    );
    expect(whole.read).toBe(40);
    expect(Object.values(whole.endOffsets).reduce((n, o) => n + Number(o), 0)).toBe(40);
    for (const p of [0, 1, 2]) {
      const offsets = all.filter((c) => c.partition === p).map((c) => Number(c.offset));
      expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
    }

    // From offset 5 of the busiest partition only: exactly the records after it.
    const [busiest] = Object.entries(whole.endOffsets).sort((a, b) => Number(b[1]) - Number(a[1]))[0]!;
    const tail: ConsumedEnvelope[] = [];
    await kafka.readToEnd({
      topic,
      partitions: [Number(busiest)],
      fromOffsets: { [Number(busiest)]: '5' },
      onBatch: (batch) => void tail.push(...batch),
    });
    expect(tail.map((c) => Number(c.offset))).toEqual(
      Array.from({ length: Number(whole.endOffsets[Number(busiest)]) - 5 }, (_, i) => 5 + i),
    );

    // Nothing to read returns at once.
    const none = await kafka.readToEnd({ topic, fromOffsets: whole.endOffsets, onBatch: () => {} });
    expect(none.read).toBe(0);
  });

  it('ends at a commit marker and ignores an open transaction', async () => {
    const topic = freshTopic('read-to-end-txn');
    const admin = kafka.admin();
    await admin.ensureTopics([{ topic, partitions: 1 }]);
    await admin.disconnect();
    const raw = new Kafka({ clientId: 'read-to-end-txn', brokers: brokers(), logLevel: logLevel.NOTHING });
    const message = (id: string) => ({
      key: 't',
      value: Buffer.from(encodeEnvelope(conversationStarted(id, 't'))),
    });

    const committer = raw.producer({
      transactionalId: `rte-c-${topic}`,
      idempotent: true,
      maxInFlightRequests: 1,
    });
    await committer.connect();
    const txn = await committer.transaction();
    await txn.send({ topic, messages: [message('c1'), message('c2')] });
    await txn.commit();

    const opener = raw.producer({
      transactionalId: `rte-o-${topic}`,
      idempotent: true,
      maxInFlightRequests: 1,
    });
    await opener.connect();
    const open = await opener.transaction();
    await open.send({ topic, messages: [message('open1')] });

    try {
      const seen: string[] = [];
      const result = await kafka.readToEnd({
        topic,
        onBatch: (b) => void seen.push(...b.map((c) => c.envelope.eventId)),
      });
      expect(seen).toEqual(['c1', 'c2']);
      // the end is the last stable offset: after c1, c2 and their commit marker
      expect(result.endOffsets[0]).toBe('3');
    } finally {
      await open.abort();
      await opener.disconnect();
      await committer.disconnect();
    }
  });
});
