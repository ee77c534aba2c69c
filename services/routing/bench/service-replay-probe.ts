/**
 * Probe of changelog replay speed (used while tuning recovery): writes N core-made events to a fresh
 * changelog, then reads them back with the recovery reader, without and with applying them.
 *   KAFKA_BROKERS=… BENCH_EVENTS=100000 tsx --conditions=@switchboard/source bench/service-replay-probe.ts
 */
import { KafkaChangelogReader } from '../src/adapters/kafka/kafka-changelog';
import { eventFromEnvelope } from '../src/domain/envelope-mapping';
import { PartitionState } from '../src/service/partition-state';
import { generateChangelog } from './service-changelog';
import { freshTopics, kafkaClient, round } from './service-support';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 100_000);

async function main() {
  const kafka = kafkaClient('replay-probe');
  const env = await freshTopics(kafka, 12);
  const producer = kafka.producer({
    maxBatchMessages: 5000,
    maxBufferedMessages: 200_000,
    requestTimeoutMs: 60_000,
  });
  await producer.connect();
  const t0 = Date.now();
  await generateChangelog(EVENTS, 48, 12, (e) => producer.send(env.topics.routing, e));
  console.log(`written in ${round((Date.now() - t0) / 1000)} s`);
  const from = new Map(Array.from({ length: 12 }, (_, p) => [p, 0n] as [number, bigint]));
  for (const apply of [false, true]) {
    const reader = new KafkaChangelogReader(kafka, producer, {
      topic: env.topics.routing,
      partitions: 12,
      deadLetterTopic: env.topics.deadLetter,
    });
    const states = new Map<number, PartitionState>();
    let n = 0;
    let first = 0;
    let last = 0;
    const t = Date.now();
    await reader.replay(from, ({ partition, offset, envelope }) => {
      if (first === 0) first = Date.now();
      last = Date.now();
      n++;
      if (!apply) return;
      let st = states.get(partition);
      if (!st) {
        st = new PartitionState(partition, 0);
        states.set(partition, st);
      }
      const e = eventFromEnvelope(envelope);
      if (e) st.replayed(envelope.tenantId, e, offset);
    });
    console.log(
      `apply=${apply}: ${n} events, total ${round((Date.now() - t) / 1000, 2)} s, first→last ${round((last - first) / 1000, 2)} s = ${round(n / ((last - first) / 1000), 0)}/s`,
    );
  }
  await producer.disconnect();
  await env.cleanup();
  process.exit(0);
}
void main();
