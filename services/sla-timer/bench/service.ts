// The sla-timer through Kafka: sustained input events/s (consume, decide, commit in transactions) and
// end-to-end lateness of breach events (breach instant → visible to a read_committed consumer).
// Needs KAFKA_BROKERS (the root `pnpm bench:sla` provides a broker). Last line: key=value figures.
import { create } from '@bufbuild/protobuf';
import {
  AgentMessageSentSchema,
  ConversationStartedSchema,
  type Envelope,
  msFromTs,
  newEnvelope,
  SlaPolicySchema,
  SlaTargetSpecSchema,
  TargetKind,
  TenantConfigAppliedSchema,
  TenantConfigSchema,
} from '@switchboard/contracts';
import { createKafka } from '@switchboard/kafka';
import { createLogger } from '@switchboard/observability';
import { slaTopicSpecs } from '../src/adapters/kafka/topics';
import { buildSlaApp } from '../src/app';
import { loadSlaConfig, slaTopics } from '../src/config';

const CONVERSATIONS = Number(process.env.SLA_BENCH_CONVERSATIONS ?? 10_000);
const BREACHES = Number(process.env.SLA_BENCH_BREACHES ?? 2_000);
const BREACH_WINDOW_MS = 5_000;
const PARTITIONS = 6;
const TENANTS = 24;
const brokers = process.env.KAFKA_BROKERS;
if (!brokers) {
  console.error('KAFKA_BROKERS is not set: run `pnpm bench:sla` at the root (it provides a broker)');
  process.exit(2);
}

const logger = createLogger({ service: 'sla-bench', level: process.env.LOG_LEVEL ?? 'error' });
const kafka = createKafka({ brokers: brokers.split(','), clientId: 'sla-bench' }, logger);
const run = `bench-${Date.now().toString(36)}`;
const topics = slaTopics(`${run}.`);
const tenant = (i: number) => `tenant-${i % TENANTS}`;
let n = 0;
const envelope = (tenantId: string, aggregateId: string, payload: Envelope['payload'], at: number) =>
  newEnvelope({
    eventId: `${run}-${++n}`,
    tenantId,
    aggregateId,
    occurredAtMs: at,
    source: 'sla-bench',
    payload,
  });
const startedP = (): Envelope['payload'] => ({
  case: 'conversationStarted',
  value: create(ConversationStartedSchema, {}),
});
const answeredP = (): Envelope['payload'] => ({
  case: 'agentMessageSent',
  value: create(AgentMessageSentSchema, { agentId: 'a1' }),
});

const percentile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;

async function main(): Promise<void> {
  const admin = kafka.admin();
  await admin.ensureTopics(slaTopicSpecs(topics, PARTITIONS));
  const producer = kafka.producer({ maxBatchMessages: 4000 });
  await producer.connect();
  const config = (seconds: number) =>
    Array.from({ length: TENANTS }, (_, i) =>
      envelope(
        tenant(i),
        tenant(i),
        {
          case: 'tenantConfigApplied',
          value: create(TenantConfigAppliedSchema, {
            version: 1n,
            config: create(TenantConfigSchema, {
              slaPolicies: [
                create(SlaPolicySchema, {
                  id: 'std',
                  targets: [
                    create(SlaTargetSpecSchema, {
                      kind: TargetKind.FIRST_RESPONSE,
                      seconds,
                      warnAtPercent: [50],
                    }),
                    create(SlaTargetSpecSchema, { kind: TargetKind.RESOLUTION, seconds: 3600 }),
                  ],
                }),
              ],
            }),
          }),
        },
        Date.now(),
      ),
    );
  await producer.send(topics.config, config(2));

  // Phase 1, throughput: inputs written before the service starts, so producing does not limit it.
  // Each conversation starts (two clocks) and two in three are answered (met); the rest are left open.
  const inputs: Envelope[] = [];
  const t0 = Date.now() + 1000;
  for (let i = 0; i < CONVERSATIONS; i++) {
    inputs.push(envelope(tenant(i), `conv-${i}`, startedP(), t0));
    if (i % 3 !== 0) inputs.push(envelope(tenant(i), `conv-${i}`, answeredP(), t0 + 500));
  }
  // Conversations topic in input order (per tenant: started before answered).
  const ordered = [
    ...inputs.filter((e) => e.payload.case === 'conversationStarted'),
    ...inputs.filter((e) => e.payload.case !== 'conversationStarted'),
  ];
  for (let i = 0; i < ordered.length; i += 4000)
    await producer.send(topics.conversations, ordered.slice(i, i + 4000));
  const groupId = `sla-${run}`;
  const app = buildSlaApp({
    config: loadSlaConfig({
      KAFKA_BROKERS: brokers,
      KAFKA_CLIENT_ID: 'sla-bench',
      LOG_LEVEL: 'error',
      SLA_TOPIC_PREFIX: `${run}.`,
      SLA_PARTITIONS: String(PARTITIONS),
      SLA_GROUP_ID: groupId,
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: '0',
    }),
    logger,
    kafka,
  });
  const totalInputs = ordered.length + TENANTS;
  const committedSum = async () => {
    let sum = 0n;
    for (const t of [topics.conversations, topics.config]) {
      const c = await admin.committedOffsets(groupId, t);
      for (const o of Object.values(c)) sum += BigInt(o);
    }
    return sum;
  };
  await app.start();
  while (!app.ready()) await new Promise((r) => setTimeout(r, 20));
  const startedAt = performance.now();
  while ((await committedSum()) < BigInt(totalInputs)) await new Promise((r) => setTimeout(r, 100));
  const seconds = (performance.now() - startedAt) / 1000;
  const eventsPerS = totalInputs / seconds;
  console.log(
    `throughput: inputs=${totalInputs} conversations=${CONVERSATIONS} partitions=${PARTITIONS} seconds=${seconds.toFixed(2)} events_per_s=${eventsPerS.toFixed(0)} pending_timers=${app.owner.pendingTimers()}`,
  );

  // Phase 2, lateness: conversations nobody answers, started at a steady rate over a few seconds; each
  // breach's lateness = when a read_committed consumer sees it − the breach instant it carries.
  const late: number[] = [];
  const wanted = new Set<string>();
  const consumer = kafka.consumer({ groupId: `${run}-watch`, topics: [topics.sla], fromBeginning: false });
  await consumer.run(async (batch) => {
    const seen = Date.now();
    for (const c of batch) {
      const p = c.envelope.payload;
      if (p.case === 'slaBreached' && wanted.has(c.envelope.aggregateId) && p.value.breachedAt)
        late.push(seen - msFromTs(p.value.breachedAt));
    }
  });
  await new Promise((r) => setTimeout(r, 2000)); // the watcher has joined before the first breach is due
  const every = BREACH_WINDOW_MS / BREACHES;
  const begin = Date.now();
  for (let i = 0; i < BREACHES; ) {
    const due = Math.floor((Date.now() - begin) / every);
    const batch: Envelope[] = [];
    for (; i < Math.min(due, BREACHES); i++) {
      const id = `late-${i}`;
      wanted.add(id);
      batch.push(envelope(tenant(i), id, startedP(), Date.now()));
    }
    if (batch.length > 0) await producer.send(topics.conversations, batch);
    else await new Promise((r) => setTimeout(r, 5));
  }
  const deadline = Date.now() + 60_000;
  while (late.length < BREACHES && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  late.sort((a, b) => a - b);
  console.log(
    `breach lateness (breach instant → committed and consumed): breaches=${late.length}/${BREACHES} target=2s p50_ms=${percentile(late, 0.5)} p99_ms=${percentile(late, 0.99)} max_ms=${late[late.length - 1] ?? 0}`,
  );

  await consumer.stop();
  await app.stop();
  await producer.disconnect();
  await admin.deleteTopics(Object.values(topics)).catch(() => undefined);
  await admin.disconnect();
  console.log(`events_per_s=${eventsPerS.toFixed(0)} breach_lateness_p99_ms=${percentile(late, 0.99)}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
