import type { Envelope } from '@switchboard/contracts';
import { encodeEnvelope } from '@switchboard/contracts';
import type { EnvelopeProducer } from '@switchboard/kafka';
import type { SnapshotSink, TickSink } from '../../service/ports';

/** Ticks go to the ticks topic keyed by their tenant id, so each lands on the partition it is for. */
export class KafkaTickSink implements TickSink {
  constructor(
    private readonly producer: EnvelopeProducer,
    private readonly topic: string,
  ) {}

  append(ticks: Envelope[]): Promise<void> {
    return this.producer.send(this.topic, ticks);
  }
}

/** The final snapshot of a clean shutdown (key `sla-<p>`, the envelope's tenant id). */
export class KafkaSnapshotSink implements SnapshotSink {
  constructor(
    private readonly producer: EnvelopeProducer,
    private readonly topic: string,
  ) {}

  async save(snapshot: Envelope): Promise<number> {
    const value = Buffer.from(encodeEnvelope(snapshot));
    await this.producer.sendRaw(this.topic, [{ key: snapshot.tenantId, value }]);
    return value.length;
  }
}
