import type { SwitchboardKafka, TopicAdmin } from '@switchboard/kafka';
import type { LogReader, LogRecord } from '../../service/ports';

/** The owner's reads through the shared library: `readToEnd` and the group's committed offsets. */
export class KafkaLogReader implements LogReader {
  private admin: TopicAdmin | undefined;

  constructor(
    private readonly kafka: SwitchboardKafka,
    private readonly groupId: string,
  ) {}

  async read(
    topic: string,
    partitions: readonly number[] | undefined,
    from: ReadonlyMap<number, bigint>,
    onRecord: (r: LogRecord) => void,
  ): Promise<Map<number, bigint>> {
    const result = await this.kafka.readToEnd({
      topic,
      ...(partitions ? { partitions: [...partitions] } : {}),
      fromOffsets: Object.fromEntries([...from].map(([p, o]) => [p, o.toString()])),
      onBatch: (batch, partition) => {
        for (const c of batch) onRecord({ partition, offset: BigInt(c.offset), envelope: c.envelope });
      },
    });
    return new Map(Object.entries(result.endOffsets).map(([p, o]) => [Number(p), BigInt(o)]));
  }

  /** One admin connection, kept (the first batch of every input partition asks). */
  async committed(topic: string): Promise<Map<number, bigint>> {
    this.admin ??= this.kafka.admin();
    const offsets = await this.admin.committedOffsets(this.groupId, topic);
    return new Map(Object.entries(offsets).map(([p, o]) => [Number(p), BigInt(o)]));
  }

  async close(): Promise<void> {
    const admin = this.admin;
    this.admin = undefined;
    await admin?.disconnect();
  }
}
