// Load generator of the projection benchmark, in a process of its own so that producing does not
// take CPU from the projector: argv[2] is JSON { brokers, topics, rate, seconds }. Stamps recorded_at
// with the send time; prints the number of events sent.
import { createKafka } from '@switchboard/kafka';
import pino from 'pino';
import { syntheticEvents, type TopicNames } from '../test/support/synthetic';

interface Args {
  brokers: string[];
  topics: TopicNames;
  rate: number;
  seconds: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  const args = JSON.parse(process.argv[2]!) as Args;
  const kafka = createKafka(
    { brokers: args.brokers, clientId: 'analytics-bench-load' },
    pino({ level: 'warn' }),
  );
  const producer = kafka.producer({ requestTimeoutMs: 60_000 });
  await producer.connect();
  const gen = syntheticEvents({
    topics: args.topics,
    conversations: Math.ceil((args.rate * args.seconds) / 9) + 1,
    tenants: 24,
    startMs: Date.UTC(2026, 0, 5, 12, 0, 0),
    run: 'steady',
    recordedAtMs: () => Date.now(),
  });
  const perTick = Math.max(1, Math.round(args.rate / 10));
  const start = Date.now();
  let sent = 0;
  for (let tick = 0; tick < args.seconds * 10; tick++) {
    const byTopic = new Map<string, Parameters<typeof producer.send>[1]>();
    for (let i = 0; i < perTick; i++) {
      const r = gen.next();
      if (r.done) break;
      const list = byTopic.get(r.value.topic) ?? [];
      list.push(r.value.envelope);
      byTopic.set(r.value.topic, list);
      sent += 1;
    }
    await Promise.all([...byTopic].map(([topic, envs]) => producer.send(topic, envs)));
    const next = start + (tick + 1) * 100;
    if (next > Date.now()) await sleep(next - Date.now());
  }
  await producer.disconnect();
  process.stdout.write(`${sent} ${Date.now() - start}\n`);
}

void main();
