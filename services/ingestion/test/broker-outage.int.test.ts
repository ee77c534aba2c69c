import { type LocalKafka, startLocalKafka } from '@switchboard/testkit';
import { event, type Ingestion, readTopic, startIngestion } from './support';

/**
 * A broker of its own, stopped and restarted under the service: while it is down every answer is 503
 * with Retry-After; once it is back the service accepts again by itself; every event answered 202 is
 * in Kafka, and retried events end up there too.
 */
describe('Kafka outage', () => {
  let broker: LocalKafka;
  let ingestion: Ingestion;

  beforeAll(async () => {
    broker = await startLocalKafka();
    ingestion = await startIngestion(
      broker.brokers,
      { adapter: { tenantId: 'acme', channels: ['*'] } },
      { partitions: 1, requestTimeoutMs: 2000, limits: { publishTimeoutMs: 3000 } },
    );
  }, 180_000);
  afterAll(async () => {
    await ingestion?.close();
    await broker?.destroy();
  }, 60_000);

  const post = (id: string) =>
    ingestion.app.inject({
      method: 'POST',
      url: '/v1/events',
      headers: { authorization: `Bearer ${ingestion.keys.adapter}`, 'content-type': 'application/json' },
      payload: JSON.stringify(event(id)),
    });

  it('answers 503 while Kafka is down, recovers by itself, loses nothing and accepts nothing unwritten', async () => {
    const accepted: string[] = [];
    const refused: string[] = [];
    const record = async (id: string) => {
      const res = await post(id);
      if (res.statusCode === 202) accepted.push(id);
      else {
        expect(res.statusCode).toBe(503);
        expect(res.headers['retry-after']).toBe('1');
        expect(res.json().code).toMatch(/^ING_ERR_(KAFKA_UNAVAILABLE|OVERLOADED)$/);
        refused.push(id);
      }
      return res.statusCode;
    };

    expect(await record('before-1')).toBe(202);
    await broker.stop();
    const whileDown = await Promise.all(['down-1', 'down-2', 'down-3'].map(record));
    expect(whileDown).toEqual([503, 503, 503]);

    await broker.start();
    // The adapter retries what was refused, as the Retry-After says, until it is accepted.
    const deadline = Date.now() + 90_000;
    while (refused.length > 0 && Date.now() < deadline) {
      const id = refused.shift()!;
      await record(id);
      if (refused.includes(id)) await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    expect(refused).toEqual([]);
    expect(await record('after-1')).toBe(202);

    const ids = (await readTopic(ingestion.kafka, ingestion.topic, accepted.length)).map(
      (m) => m.envelope.eventId,
    );
    // Everything answered 202 is there; a 503'd attempt may also have landed (a retry makes it a duplicate
    // that consumers drop by event id), but nothing else.
    expect(new Set(ids)).toEqual(new Set(accepted));
    expect(accepted.sort()).toEqual(['after-1', 'before-1', 'down-1', 'down-2', 'down-3']);
  });
});
