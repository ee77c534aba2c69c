import { create } from '@bufbuild/protobuf';
import { Channel, ConversationStartedSchema, type Envelope, newEnvelope } from '@switchboard/contracts';
import { requireEnv, uniqueSuffix } from '@switchboard/testkit';
import pino from 'pino';
import { type ConsumedEnvelope, createKafka, type SwitchboardKafka } from '../src';

export const logger = pino({ level: process.env.LOG_LEVEL ?? 'warn' });

export function brokers(): string[] {
  return requireEnv('KAFKA_BROKERS').split(',');
}

export function kafkaClient(clientId = 'kafka-lib-test'): SwitchboardKafka {
  return createKafka({ brokers: brokers(), clientId }, logger);
}

/** A topic name nobody else uses (tests share one broker). */
export function freshTopic(name: string): string {
  return `test.kafka-lib.${name}.${uniqueSuffix()}`;
}

export function conversationStarted(
  eventId: string,
  tenantId: string,
  occurredAtMs = 1_700_000_000_000,
): Envelope {
  return newEnvelope({
    eventId,
    tenantId,
    aggregateId: `conv-${eventId}`,
    occurredAtMs,
    source: 'kafka-lib-test',
    payload: {
      case: 'conversationStarted',
      value: create(ConversationStartedSchema, { channel: Channel.CHAT }),
    },
  });
}

export async function waitUntil(what: string, check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Reads a topic from the beginning with the library's (read_committed) consumer into `into`. */
export async function startCollector(
  kafka: SwitchboardKafka,
  topic: string,
  into: ConsumedEnvelope[],
): Promise<{ stop(): Promise<void> }> {
  const consumer = kafka.consumer({
    groupId: `collector-${uniqueSuffix()}`,
    topics: [topic],
    fromBeginning: true,
  });
  await consumer.run(async (batch) => {
    into.push(...batch);
  });
  return consumer;
}

export interface RawRecord {
  key: string;
  value: Buffer;
  offset: string;
  headers: Record<string, string>;
}

/**
 * Reads a topic raw (read_committed) with kafkajs itself, as an operator's tool would: dead letters
 * are not envelopes, so the library's consumer would dead-letter them again.
 */
export async function readRaw(topic: string, atLeast: number, settleMs: number): Promise<RawRecord[]> {
  const { Kafka, logLevel } = await import('kafkajs');
  const consumer = new Kafka({
    brokers: brokers(),
    clientId: 'raw-reader',
    logLevel: logLevel.NOTHING,
  }).consumer({
    groupId: `raw-${uniqueSuffix()}`,
    readUncommitted: false,
  });
  const records: RawRecord[] = [];
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(message.headers ?? {})) headers[k] = String(v);
      records.push({
        key: String(message.key),
        value: message.value ?? Buffer.alloc(0),
        offset: message.offset,
        headers,
      });
    },
  });
  try {
    await waitUntil(`${atLeast} records on ${topic}`, () => records.length >= atLeast, 30_000);
    await new Promise((r) => setTimeout(r, settleMs));
  } finally {
    await consumer.disconnect();
  }
  return records;
}
