import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';
import { brokerAnswers, requireEnv, startLocalKafka, uniqueName } from '../src';

describe('test infrastructure (real servers)', () => {
  it('gives a PostgreSQL database where a transaction commits and a rollback leaves nothing', async () => {
    const client = new pg.Client({ connectionString: requireEnv('DATABASE_URL') });
    await client.connect();
    try {
      await client.query('create table t (id int primary key, v text)');
      await client.query('begin');
      await client.query(`insert into t values (1, 'kept')`);
      await client.query('commit');
      await client.query('begin');
      await client.query(`insert into t values (2, 'dropped')`);
      await client.query('rollback');
      const { rows } = await client.query('select id, v from t order by id');
      expect(rows).toEqual([{ id: 1, v: 'kept' }]);
      const { rows: version } = await client.query('show server_version_num');
      expect(Number(version[0].server_version_num)).toBeGreaterThanOrEqual(150000);
    } finally {
      await client.end();
    }
  });

  it('gives a Kafka broker that creates topics and keeps messages', async () => {
    const kafka = new Kafka({
      clientId: 'testkit-test',
      brokers: requireEnv('KAFKA_BROKERS').split(','),
      logLevel: logLevel.NOTHING,
    });
    const topic = uniqueName('testkit');
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages: [{ key: 'k', value: 'hello' }] });
    const offsets = await admin.fetchTopicOffsets(topic);
    expect(offsets.reduce((n, p) => n + Number(p.high), 0)).toBe(1);
    await producer.disconnect();
    await admin.deleteTopics({ topics: [topic] });
    await admin.disconnect();
  });

  it('starts a local broker that can be stopped and started again with its data', async () => {
    const broker = await startLocalKafka({ heap: '512m' });
    try {
      const kafka = new Kafka({
        clientId: 'testkit-restart',
        brokers: [broker.brokers],
        logLevel: logLevel.NOTHING,
      });
      const admin = kafka.admin();
      await admin.connect();
      await admin.createTopics({ topics: [{ topic: 'kept', numPartitions: 1 }], waitForLeaders: true });
      await admin.disconnect();
      await broker.stop();
      expect(await brokerAnswers(broker.brokers)).toBe(false);
      await broker.start();
      const again = kafka.admin();
      await again.connect();
      expect(await again.listTopics()).toContain('kept');
      await again.disconnect();
    } finally {
      await broker.destroy();
    }
  });
});
