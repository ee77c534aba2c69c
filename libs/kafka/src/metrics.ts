import { type Counter, metrics } from '@opentelemetry/api';

/** Counters of the library; a no-op until a service registers a MeterProvider. */
export interface KafkaMetrics {
  produced: Counter;
  consumed: Counter;
  deadLettered: Counter;
  transactionsCommitted: Counter;
  transactionsAborted: Counter;
}

export function kafkaMetrics(): KafkaMetrics {
  const meter = metrics.getMeter('@switchboard/kafka');
  return {
    produced: meter.createCounter('switchboard.kafka.messages.produced', {
      description: 'Messages acknowledged by the broker',
    }),
    consumed: meter.createCounter('switchboard.kafka.messages.consumed', {
      description: 'Messages decoded and handed to a handler',
    }),
    deadLettered: meter.createCounter('switchboard.kafka.messages.dead_lettered', {
      description: 'Undecodable or invalid messages sent to the dead-letter topic',
    }),
    transactionsCommitted: meter.createCounter('switchboard.kafka.transactions.committed', {
      description: 'Consume-transform-produce transactions committed',
    }),
    transactionsAborted: meter.createCounter('switchboard.kafka.transactions.aborted', {
      description: 'Consume-transform-produce transactions aborted (the batch is re-read)',
    }),
  };
}
