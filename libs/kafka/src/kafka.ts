import { Kafka, type SASLOptions } from 'kafkajs';
import type { Logger } from 'pino';
import { KafkajsTopicAdmin } from './admin';
import { KafkajsEnvelopeConsumer } from './consumer';
import { KafkaLibError } from './errors';
import { kafkajsLevel, pinoLogCreator } from './log-bridge';
import { kafkaMetrics } from './metrics';
import { CoalescingEnvelopeProducer } from './producer';
import { readToEnd } from './reader';
import { KafkajsTransactionalLoop } from './transactional-loop';
import type { KafkaConfig, SwitchboardKafka } from './types';

/** The project's Kafka client: every service reaches Kafka through this and nothing else. */
export function createKafka(config: KafkaConfig, logger: Logger): SwitchboardKafka {
  if (config.brokers.length === 0)
    throw new KafkaLibError('KAFKA_ERR_INVALID_OPTIONS', 'no Kafka brokers given');
  const log = logger.child({ component: 'kafka' });
  const kafka = new Kafka({
    clientId: config.clientId,
    brokers: config.brokers,
    ssl: config.ssl ?? false,
    sasl: config.sasl as SASLOptions | undefined,
    connectionTimeout: config.connectionTimeoutMs ?? 3000,
    requestTimeout: 30_000,
    retry: { initialRetryTime: 100, maxRetryTime: 2000, retries: 6 },
    logLevel: kafkajsLevel(log),
    logCreator: pinoLogCreator(log),
  });
  const metrics = kafkaMetrics();
  return {
    admin: () => new KafkajsTopicAdmin(kafka, log),
    readToEnd: (opts) => readToEnd(kafka, log, opts),
    producer: (opts) => new CoalescingEnvelopeProducer(kafka, log, metrics, opts),
    consumer: (opts) =>
      new KafkajsEnvelopeConsumer(
        kafka,
        new CoalescingEnvelopeProducer(kafka, log, metrics),
        log,
        metrics,
        opts,
      ),
    transactionalLoop: (opts) => new KafkajsTransactionalLoop(kafka, log, metrics, opts),
  };
}
