import { loadSlaConfig } from './config';

describe('loadSlaConfig', () => {
  it('parses once with defaults, prefixes every topic, and freezes the result', () => {
    const c = loadSlaConfig({ KAFKA_BROKERS: 'a:9092,b:9092', SLA_TOPIC_PREFIX: 'test-1.' });
    expect(c.kafka.brokers).toEqual(['a:9092', 'b:9092']);
    expect(c.env).toMatchObject({
      SLA_TICK_MS: 100,
      SLA_SNAPSHOT_EVERY_EVENTS: 50_000,
      SLA_SNAPSHOT_INTERVAL: 60_000,
      SLA_PARTITIONS: 12,
      SLA_GROUP_ID: 'sla-timer',
    });
    expect(c.topics).toEqual({
      conversations: 'test-1.switchboard.conversations.v1',
      routing: 'test-1.switchboard.routing.v1',
      config: 'test-1.switchboard.config.v1',
      ticks: 'test-1.switchboard.sla-ticks.v1',
      sla: 'test-1.switchboard.sla.v1',
      snapshots: 'test-1.switchboard.sla-snapshots.v1',
      deadLetter: 'test-1.switchboard.dead-letter.v1',
    });
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.topics)).toBe(true);
  });

  it('names every bad variable', () => {
    let message = '';
    try {
      loadSlaConfig({ SLA_TICK_MS: '0', SLA_SNAPSHOT_INTERVAL: 'soon' });
    } catch (err) {
      message = (err as Error).message;
    }
    for (const name of ['KAFKA_BROKERS', 'SLA_TICK_MS', 'SLA_SNAPSHOT_INTERVAL'])
      expect(message).toContain(name);
  });
});
