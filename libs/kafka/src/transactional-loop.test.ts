import { create } from '@bufbuild/protobuf';
import { Channel, ConversationStartedSchema, decodeEnvelope, newEnvelope } from '@switchboard/contracts';
import { topicConfigs } from './admin';
import { sliceRecords, transactionalId, transactionRecords } from './transactional-loop';

const envelope = (tenantId: string) =>
  newEnvelope({
    eventId: `e-${tenantId}`,
    tenantId,
    aggregateId: 'c',
    occurredAtMs: 1,
    source: 's',
    payload: {
      case: 'conversationStarted',
      value: create(ConversationStartedSchema, { channel: Channel.VOICE }),
    },
  });

describe('transactional loop records', () => {
  it('names the transactional id after the input partition', () => {
    expect(transactionalId('routing', { topic: 'switchboard.conversations.v1', partition: 4 })).toBe(
      'routing-switchboard.conversations.v1-4',
    );
  });

  it('groups outputs per topic keyed by tenant, with trace headers, and appends dead letters raw', () => {
    const records = transactionRecords(
      [
        { topic: 'out', envelope: envelope('t1') },
        { topic: 'other', envelope: envelope('t2') },
        { topic: 'out', envelope: envelope('t3') },
      ],
      [{ key: null, value: Buffer.from('junk'), headers: { 'dlq.reason': 'r' } }],
      'dlq',
      { traceparent: '00-aa-bb-01' },
    );
    expect(records.map((r) => [r.topic, r.messages.length])).toEqual([
      ['out', 2],
      ['other', 1],
      ['dlq', 1],
    ]);
    const first = records[0]!.messages[0]!;
    expect(first.key).toBe('t1');
    expect(first.headers).toEqual({ traceparent: '00-aa-bb-01' });
    expect(decodeEnvelope(first.value as Buffer).tenantId).toBe('t1');
    expect(records[2]!.messages[0]!.value).toEqual(Buffer.from('junk'));
  });
});

describe('topicConfigs', () => {
  it('sets compaction and retention on top of extra configs', () => {
    expect(
      topicConfigs({
        topic: 't',
        partitions: 3,
        compacted: true,
        retentionMs: -1,
        configs: { 'min.insync.replicas': '2' },
      }),
    ).toEqual([
      { name: 'min.insync.replicas', value: '2' },
      { name: 'cleanup.policy', value: 'compact' },
      { name: 'retention.ms', value: '-1' },
    ]);
  });
});

describe('sliceRecords', () => {
  const msgs = (prefix: string, n: number) =>
    Array.from({ length: n }, (_, i) => ({ value: `${prefix}${i}` }));

  it('cuts per-topic records into slices of at most the size, keeping every message once and in order', () => {
    const records = [
      { topic: 'a', messages: msgs('a', 5) },
      { topic: 'b', messages: msgs('b', 2) },
    ];
    const slices = sliceRecords(records, 3);
    expect(slices.map((s) => s.reduce((n, r) => n + r.messages.length, 0))).toEqual([3, 3, 1]);
    const flat = slices.flat().flatMap((r) => r.messages.map((m) => `${r.topic}:${m.value}`));
    expect(flat).toEqual([
      ...records[0]!.messages.map((m) => `a:${m.value}`),
      ...records[1]!.messages.map((m) => `b:${m.value}`),
    ]);
  });

  it('gives nothing for nothing', () => {
    expect(sliceRecords([], 1000)).toEqual([]);
  });
});
