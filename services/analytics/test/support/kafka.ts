import { createHash } from 'node:crypto';
import { type Envelope, isPayload } from '@switchboard/contracts';
import { createKafka, type SwitchboardKafka } from '@switchboard/kafka';
import { requireEnv, uniqueSuffix } from '@switchboard/testkit';
import pino from 'pino';
import type { Routed, TopicNames } from './synthetic';

export const logger = pino({ level: 'warn' });

export function brokers(): string[] {
  return requireEnv('KAFKA_BROKERS').split(',');
}

export function kafkaClient(clientId = 'analytics-test'): SwitchboardKafka {
  return createKafka({ brokers: brokers(), clientId }, logger);
}

export interface TestTopics extends TopicNames {
  config: string;
  deadLetter: string;
  sink: string;
}

/** Topics of this test alone (tests share one broker), with `partitions` partitions each. */
export async function freshTopics(kafka: SwitchboardKafka, partitions = 3): Promise<TestTopics> {
  const s = uniqueSuffix();
  const topics = {
    conversations: `test.analytics.conversations.${s}`,
    routing: `test.analytics.routing.${s}`,
    sla: `test.analytics.sla.${s}`,
    config: `test.analytics.config.${s}`,
    deadLetter: `test.analytics.dead-letter.${s}`,
    /** Where a test's own collectors put what they cannot decode. */
    sink: `test.analytics.sink.${s}`,
  };
  const admin = kafka.admin();
  await admin.ensureTopics(Object.values(topics).map((topic) => ({ topic, partitions })));
  await admin.disconnect();
  return topics;
}

export function projected(t: TestTopics): string[] {
  return [t.conversations, t.routing, t.sla, t.config];
}

/** The topic a scenario event belongs to, by its payload kind. */
export function route(t: TopicNames, e: Envelope): Routed {
  const kind = e.payload.case ?? '';
  const topic = kind.startsWith('sla') ? t.sla : isConversationEvent(e) ? t.conversations : t.routing;
  return { topic, envelope: e };
}

function isConversationEvent(e: Envelope): boolean {
  return (
    isPayload(e, 'conversationStarted') ||
    isPayload(e, 'customerMessageReceived') ||
    isPayload(e, 'agentMessageSent') ||
    isPayload(e, 'conversationResolved') ||
    isPayload(e, 'conversationAbandoned') ||
    isPayload(e, 'conversationReopened') ||
    isPayload(e, 'csatSubmitted') ||
    isPayload(e, 'botHandoffRequested')
  );
}

/** Produces routed envelopes in chunks, per topic, keeping each topic's order. */
export async function produce(
  kafka: SwitchboardKafka,
  events: Iterable<Routed>,
  chunk = 2000,
): Promise<number> {
  const producer = kafka.producer({ maxBatchMessages: chunk });
  await producer.connect();
  let n = 0;
  try {
    let pending = new Map<string, Envelope[]>();
    const flush = async () => {
      await Promise.all([...pending].map(([topic, envs]) => producer.send(topic, envs)));
      pending = new Map();
    };
    let buffered = 0;
    for (const r of events) {
      const list = pending.get(r.topic) ?? [];
      list.push(r.envelope);
      pending.set(r.topic, list);
      n += 1;
      buffered += 1;
      if (buffered >= chunk) {
        await flush();
        buffered = 0;
      }
    }
    await flush();
  } finally {
    await producer.disconnect();
  }
  return n;
}

export function sha256Hex(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

export async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
