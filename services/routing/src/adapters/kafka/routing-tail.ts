import { randomUUID } from 'node:crypto';
import type { ConsumedEnvelope, EnvelopeConsumer, SwitchboardKafka } from '@switchboard/kafka';

/**
 * Every replica tails the committed routing changelog from its end with a private group: the agent
 * streams of the agents connected here are fed from it, and the owner learns at which offset its
 * decisions were committed (for snapshots).
 */
export class RoutingTail {
  private consumer: EnvelopeConsumer | undefined;

  constructor(
    private readonly kafka: SwitchboardKafka,
    private readonly topic: string,
    private readonly deadLetterTopic: string,
    private readonly onRecords: (records: readonly ConsumedEnvelope[]) => void,
  ) {}

  async start(): Promise<void> {
    let joined!: () => void;
    const assigned = new Promise<void>((resolve) => {
      joined = resolve;
    });
    this.consumer = this.kafka.consumer({
      groupId: `routing-edge-${randomUUID()}`,
      topics: [this.topic],
      fromBeginning: false,
      autoCommit: false,
      deadLetterTopic: this.deadLetterTopic,
      onPartitionsAssigned: async () => joined(),
    });
    await this.consumer.run(async (batch) => this.onRecords(batch));
    await assigned;
  }

  async stop(): Promise<void> {
    await this.consumer?.stop();
  }
}
