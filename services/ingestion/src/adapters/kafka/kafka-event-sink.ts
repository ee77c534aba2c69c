import { type Envelope, Topics } from '@switchboard/contracts';
import type { EnvelopeProducer } from '@switchboard/kafka';
import type { EventSink } from '../../ports';

/**
 * The EventSink over the shared idempotent producer (acks=all, coalescing concurrent calls). The
 * envelopes of one publish share the tenant key, so they land in one partition's record batch:
 * appended together or not at all.
 */
export class KafkaEventSink implements EventSink {
  constructor(
    private readonly producer: EnvelopeProducer,
    private readonly topic: string = Topics.conversations,
  ) {}

  publish(envelopes: Envelope[]): Promise<void> {
    return this.producer.send(this.topic, envelopes);
  }

  isReady(): boolean {
    return this.producer.isConnected();
  }

  close(): Promise<void> {
    return this.producer.disconnect();
  }
}
