import { create } from '@bufbuild/protobuf';
import { type Envelope, encodeEnvelope, newEnvelope, tsFromMs } from '@switchboard/contracts';
import { RoutingTickSchema } from '@switchboard/contracts/gen/switchboard/routing/v1/commands_pb';
import { DeadLetterHeaders, type EnvelopeProducer } from '@switchboard/kafka';
import type { DeadLetterSink, RejectedInput, TickSink } from '../../service/ports';

/** The tick command of a tenant at `now`; its id is derived from both, never random. */
export function tickEnvelope(tenantId: string, now: number): Envelope {
  return newEnvelope({
    eventId: `tick:${tenantId}:${now}`,
    tenantId,
    aggregateId: tenantId,
    occurredAtMs: now,
    source: 'routing-tick',
    payload: { case: 'routingTick', value: create(RoutingTickSchema, { now: tsFromMs(now) }) },
  });
}

/** Appends ticks to the agent-command topic (keyed by tenant, so they reach the tenant's owner). */
export class KafkaTickSink implements TickSink {
  constructor(
    private readonly producer: EnvelopeProducer,
    private readonly topic: string,
  ) {}

  async appendTicks(ticks: readonly { tenantId: string; now: number }[]): Promise<void> {
    await this.producer.send(
      this.topic,
      ticks.map((t) => tickEnvelope(t.tenantId, t.now)),
    );
  }
}

/**
 * Inputs the owner rejects go to the dead-letter topic with the reason in headers. Written by a plain
 * producer before the batch's transaction commits: at least once (a re-run batch may repeat one).
 */
export class KafkaDeadLetterSink implements DeadLetterSink {
  constructor(
    private readonly producer: EnvelopeProducer,
    private readonly topic: string,
    private readonly consumerGroup: string,
  ) {}

  async deadLetter(items: readonly RejectedInput[]): Promise<void> {
    await this.producer.sendRaw(
      this.topic,
      items.map((i) => ({
        key: i.envelope.tenantId,
        value: Buffer.from(encodeEnvelope(i.envelope)),
        headers: {
          [DeadLetterHeaders.reason]: i.reason.slice(0, 1024),
          [DeadLetterHeaders.errorCode]: i.code,
          [DeadLetterHeaders.topic]: i.topic,
          [DeadLetterHeaders.partition]: String(i.partition),
          [DeadLetterHeaders.offset]: i.offset,
          [DeadLetterHeaders.consumerGroup]: this.consumerGroup,
        },
      })),
    );
  }
}
