import { create } from '@bufbuild/protobuf';
import { encodeEnvelope, isPayload, newEnvelope } from '@switchboard/contracts';
import { RoutingPartitionSnapshotSchema } from '@switchboard/contracts/gen/switchboard/routing/v1/snapshot_pb';
import type { EnvelopeProducer, SwitchboardKafka } from '@switchboard/kafka';
import type { SnapshotStore, StoredSnapshot } from '../../service/ports';
import { readUntilIdle } from './read-until-idle';

export const SNAPSHOT_FORMAT = 1;

/** Record key (and envelope tenant id) of a partition's snapshot in the compacted topic. */
export const snapshotKey = (partition: number) => `routing-${partition}`;

/**
 * Partition snapshots in the compacted snapshot topic (one partition, key `routing-<p>`), each wrapped
 * in an Envelope so the library's consumer reads it like any other record.
 */
export class KafkaSnapshotStore implements SnapshotStore {
  constructor(
    private readonly kafka: SwitchboardKafka,
    private readonly producer: EnvelopeProducer,
    private readonly topic: string,
    private readonly deadLetterTopic: string,
    private readonly idleMs: number,
  ) {}

  async save(s: StoredSnapshot): Promise<number> {
    const key = snapshotKey(s.partition);
    const envelope = newEnvelope({
      eventId: `${key}@${s.changelogOffset}/${s.takenAtMs}`,
      tenantId: key,
      aggregateId: key,
      occurredAtMs: s.takenAtMs,
      source: 'routing',
      payload: {
        case: 'routingPartitionSnapshot',
        value: create(RoutingPartitionSnapshotSchema, {
          formatVersion: SNAPSHOT_FORMAT,
          partition: s.partition,
          changelogOffset: s.changelogOffset,
          lastEventId: s.lastEventId,
          tenants: s.tenants,
          takenAtMs: BigInt(s.takenAtMs),
        }),
      },
    });
    const value = Buffer.from(encodeEnvelope(envelope));
    await this.producer.sendRaw(this.topic, [{ key, value }]);
    return value.length;
  }

  async loadLatest(partitions: readonly number[]): Promise<Map<number, StoredSnapshot>> {
    const wanted = new Set(partitions);
    const latest = new Map<number, StoredSnapshot>();
    await readUntilIdle(
      this.kafka,
      {
        topic: this.topic,
        from: new Map([[0, 0n]]),
        idleMs: this.idleMs,
        deadLetterTopic: this.deadLetterTopic,
      },
      (r) => {
        if (!isPayload(r.envelope, 'routingPartitionSnapshot')) return;
        const v = r.envelope.payload.value;
        if (v.formatVersion !== SNAPSHOT_FORMAT || !wanted.has(v.partition)) return;
        latest.set(v.partition, {
          partition: v.partition,
          changelogOffset: v.changelogOffset,
          lastEventId: v.lastEventId,
          takenAtMs: Number(v.takenAtMs),
          tenants: v.tenants.map((t) => ({ tenantId: t.tenantId, state: t.state })),
        });
      },
    );
    return latest;
  }
}
