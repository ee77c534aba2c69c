import {
  type ConsumedEnvelope,
  createKafka,
  type EnvelopeProducer,
  type SwitchboardKafka,
} from '@switchboard/kafka';
import { createLogger, type Logger } from '@switchboard/observability';
import { uniqueName } from '@switchboard/testkit';
import type { FastifyInstance } from 'fastify';
import { KafkaEventSink } from '../src/adapters/kafka/kafka-event-sink';
import { type AppLimits, buildApp } from '../src/app';
import { type ApiKeyEntry, generateKey, KeyRing } from '../src/auth/api-key';
import { RecordingMetrics } from '../src/testing/memory-sink';

export const logger: Logger = createLogger({ service: 'ingestion-int-test', level: 'warn' });

export interface Ingestion {
  app: FastifyInstance;
  kafka: SwitchboardKafka;
  producer: EnvelopeProducer;
  topic: string;
  keys: Record<string, string>;
  close(): Promise<void>;
}

/** The real app over the real producer, writing to a fresh topic of `partitions` partitions. */
export async function startIngestion(
  brokers: string,
  keySpecs: Record<string, Omit<ApiKeyEntry, 'id' | 'sha256' | 'name'>>,
  options: { partitions?: number; limits?: Partial<AppLimits>; requestTimeoutMs?: number } = {},
): Promise<Ingestion> {
  const kafka = createKafka({ brokers: brokers.split(','), clientId: uniqueName('ingestion-test') }, logger);
  const topic = uniqueName('ingestion-test-conversations');
  const admin = kafka.admin();
  await admin.ensureTopics([{ topic, partitions: options.partitions ?? 3 }]);
  await admin.disconnect();
  const producer = kafka.producer({ requestTimeoutMs: options.requestTimeoutMs ?? 5000 });
  await producer.connect();
  const keys: Record<string, string> = {};
  const entries: ApiKeyEntry[] = [];
  for (const [name, spec] of Object.entries(keySpecs)) {
    const { key, entry } = generateKey({ name, ...spec });
    keys[name] = key;
    entries.push(entry);
  }
  const sink = new KafkaEventSink(producer, topic);
  const app = await buildApp({
    keyRing: new KeyRing(entries),
    sink,
    metrics: new RecordingMetrics(),
    metricsText: async () => ({ contentType: 'text/plain', body: '' }),
    now: Date.now,
    tracing: false,
    limits: {
      bodyLimitBytes: 1_048_576,
      publishTimeoutMs: 8000,
      maxInFlightEvents: 20_000,
      retryAfterSeconds: 1,
      rateLimit: { max: 1_000_000, windowMs: 1000 },
      ...options.limits,
    },
  });
  return {
    app,
    kafka,
    producer,
    topic,
    keys,
    async close() {
      await app.close();
      await sink.close();
    },
  };
}

/** Reads the topic from the beginning until `count` messages (or what `until` waits for) arrived, at most `timeoutMs`. */
export async function readTopic(
  kafka: SwitchboardKafka,
  topic: string,
  until: number | ((seen: ConsumedEnvelope[]) => boolean),
  timeoutMs = 30_000,
): Promise<ConsumedEnvelope[]> {
  const enoughSeen = typeof until === 'number' ? (seen: ConsumedEnvelope[]) => seen.length >= until : until;
  const consumer = kafka.consumer({
    groupId: uniqueName('ingestion-test-reader'),
    topics: [topic],
    fromBeginning: true,
  });
  const seen: ConsumedEnvelope[] = [];
  let done!: () => void;
  const enough = new Promise<void>((resolve) => {
    done = resolve;
  });
  await consumer.run(async (batch) => {
    seen.push(...batch);
    if (enoughSeen(seen)) done();
  });
  const timer = setTimeout(done, timeoutMs);
  try {
    await enough;
  } finally {
    clearTimeout(timer);
    await consumer.stop();
  }
  return seen;
}

export function event(id: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    type: 'conversation.started',
    conversationId: `conv-${id}`,
    occurredAt: '2026-01-02T03:04:05.000Z',
    channel: 'chat',
    customer: { id: `cust-${id}` },
    attributes: { language: 'en' },
    ...overrides,
  };
}
