// Produce -> consume round trip through @switchboard/kafka against a real broker (KAFKA_BROKERS).
// 1) latency: one envelope in flight at a time, send time carried in a header (same process clock);
// 2) throughput: a large pipelined run of single-envelope send() calls through the coalescing producer,
//    measured from the first send to the last envelope consumed.
// Ends with one line: p50_ms=… p99_ms=… msgs_per_s=…
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { create } from '@bufbuild/protobuf';
import { Channel, ConversationStartedSchema, type Envelope, newEnvelope } from '@switchboard/contracts';
import * as hdr from 'hdr-histogram-js';
import pino from 'pino';
import { createKafka } from '../src';

const brokers = (process.env.KAFKA_BROKERS ?? '').split(',').filter(Boolean);
if (brokers.length === 0) {
  console.error('KAFKA_BROKERS is not set: run `pnpm bench:kafka` at the root, or start a broker and set it');
  process.exit(2);
}
const LATENCY_SAMPLES = Number(process.env.BENCH_LATENCY_SAMPLES ?? 2000);
const WARMUP = 200;
const THROUGHPUT_MESSAGES = Number(process.env.BENCH_MESSAGES ?? 200_000);
const WINDOW = Number(process.env.BENCH_WINDOW ?? 5000); // send() calls outstanding at once in the pipelined run
const SENT_AT = 'bench.sent-at';

const logger = pino({ level: 'error' });
const kafka = createKafka({ brokers, clientId: 'kafka-bench' }, logger);
const admin = kafka.admin();
const run = randomUUID().slice(0, 8);
const latencyTopic = `bench.kafka.latency.${run}`;
const throughputTopic = `bench.kafka.throughput.${run}`;

function envelope(i: number): Envelope {
  return newEnvelope({
    eventId: `bench-${i}`,
    tenantId: `tenant-${i % 50}`,
    aggregateId: `conv-${i}`,
    occurredAtMs: 1_700_000_000_000 + i,
    source: 'bench',
    payload: {
      case: 'conversationStarted',
      value: create(ConversationStartedSchema, { channel: Channel.CHAT }),
    },
  });
}

async function latency(): Promise<hdr.Histogram> {
  const histogram = hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 60_000_000,
    numberOfSignificantValueDigits: 3,
  });
  let received = 0;
  let wake: (() => void) | undefined;
  const consumer = kafka.consumer({
    groupId: `bench-lat-${run}`,
    topics: [latencyTopic],
    fromBeginning: true,
  });
  await consumer.run(async (batch) => {
    const now = performance.now();
    for (const m of batch) {
      if (received >= WARMUP) histogram.recordValue(Math.round((now - Number(m.headers[SENT_AT])) * 1000));
      received++;
    }
    wake?.();
  });
  const producer = kafka.producer({ lingerMs: 0 });
  await producer.connect();
  for (let i = 0; i < WARMUP + LATENCY_SAMPLES; i++) {
    const arrived = new Promise<void>((resolve) => {
      wake = () => received > i && resolve();
    });
    await producer.send(latencyTopic, [envelope(i)], { [SENT_AT]: String(performance.now()) });
    await arrived;
  }
  await producer.disconnect();
  await consumer.stop();
  return histogram;
}

async function throughput(): Promise<{ msgsPerS: number; produceMsgsPerS: number; seconds: number }> {
  let received = 0;
  let done: () => void = () => undefined;
  const allReceived = new Promise<void>((resolve) => {
    done = resolve;
  });
  const consumer = kafka.consumer({
    groupId: `bench-tp-${run}`,
    topics: [throughputTopic],
    fromBeginning: true,
  });
  await consumer.run(async (batch) => {
    received += batch.length;
    if (received >= THROUGHPUT_MESSAGES) done();
  });
  const producer = kafka.producer({
    lingerMs: 2,
    maxBatchMessages: Number(process.env.BENCH_MAX_BATCH ?? 1000),
    maxBufferedMessages: WINDOW * 2,
  });
  await producer.connect();
  const started = performance.now();
  const inFlight = new Set<Promise<void>>();
  for (let i = 0; i < THROUGHPUT_MESSAGES; i++) {
    const p = producer.send(throughputTopic, [envelope(i)]).finally(() => inFlight.delete(p));
    inFlight.add(p);
    if (inFlight.size >= WINDOW) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  const produced = performance.now();
  await allReceived;
  const finished = performance.now();
  await producer.disconnect();
  await consumer.stop();
  const seconds = (finished - started) / 1000;
  return {
    msgsPerS: THROUGHPUT_MESSAGES / seconds,
    produceMsgsPerS: THROUGHPUT_MESSAGES / ((produced - started) / 1000),
    seconds,
  };
}

async function main(): Promise<void> {
  await admin.ensureTopics([
    { topic: latencyTopic, partitions: 1 },
    { topic: throughputTopic, partitions: 3 },
  ]);
  try {
    const h = await latency();
    const t = await throughput();
    const ms = (us: number) => (us / 1000).toFixed(2);
    console.log(`kafka round trip via @switchboard/kafka (brokers ${brokers.join(',')})`);
    console.log('| measure                          | value |');
    console.log('|----------------------------------|-------|');
    console.log(`| latency samples (1 in flight)    | ${h.totalCount} |`);
    console.log(
      `| latency p50 / p90 / p99 / max ms | ${ms(h.getValueAtPercentile(50))} / ${ms(h.getValueAtPercentile(90))} / ${ms(h.getValueAtPercentile(99))} / ${ms(h.maxValue)} |`,
    );
    console.log(`| pipelined messages               | ${THROUGHPUT_MESSAGES} in ${t.seconds.toFixed(2)} s |`);
    console.log(`| produce acked msgs/s             | ${Math.round(t.produceMsgsPerS)} |`);
    console.log(`| round trip msgs/s                | ${Math.round(t.msgsPerS)} |`);
    console.log(
      `p50_ms=${ms(h.getValueAtPercentile(50))} p99_ms=${ms(h.getValueAtPercentile(99))} msgs_per_s=${Math.round(t.msgsPerS)}`,
    );
  } finally {
    await admin.deleteTopics([latencyTopic, throughputTopic]).catch(() => undefined);
    await admin.disconnect();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
