// The SLA decider in process (no Kafka): memory of the whole state per running clock, inputs and
// events per second through decide + evolve, a tick firing many overdue clocks, and recovery speed
// (the changelog replayed through evolve). Last line:
// bytes_per_clock=… inputs_per_s=… events_per_s=… fired_per_s=… replay_events_per_s=…
import { create } from '@bufbuild/protobuf';
import {
  AgentMessageSentSchema,
  Channel,
  ConversationStartedSchema,
  CustomerSchema,
  SlaPolicySchema,
  SlaTargetSpecSchema,
  TargetKind,
  TenantConfigAppliedSchema,
  TenantConfigSchema,
} from '@switchboard/contracts';
import { createState, evolve, handle, type SlaEvent, type SlaState } from '../src/domain';

const CONVERSATIONS = Number(process.env.SLA_BENCH_CONVERSATIONS ?? 200_000);
const TENANTS = 20;
const T0 = Date.UTC(2026, 10, 23, 9);

function memory(): number {
  globalThis.gc?.();
  return process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
}

const config = create(TenantConfigAppliedSchema, {
  version: 1n,
  config: create(TenantConfigSchema, {
    slaPolicies: [
      create(SlaPolicySchema, {
        id: 'default',
        pauseWhilePending: true,
        targets: [
          create(SlaTargetSpecSchema, {
            kind: TargetKind.FIRST_RESPONSE,
            seconds: 600,
            warnAtPercent: [75, 90],
          }),
          create(SlaTargetSpecSchema, { kind: TargetKind.RESOLUTION, seconds: 86_400, warnAtPercent: [50] }),
        ],
      }),
    ],
  }),
});
const startedPayload = {
  case: 'conversationStarted' as const,
  value: create(ConversationStartedSchema, {
    channel: Channel.CHAT,
    customer: create(CustomerSchema, { id: 'c', tier: 'gold' }),
  }),
};
const answer = { case: 'agentMessageSent' as const, value: create(AgentMessageSentSchema, { agentId: 'a' }) };
const tenant = (i: number) => `t${i % TENANTS}`;

function configure(state: SlaState): void {
  for (let t = 0; t < TENANTS; t++) {
    const input = { eventId: `cfg-${t}`, tenantId: tenant(t), aggregateId: tenant(t), payload: config };
    handle(
      state,
      { kind: 'input', input: { ...input, payload: { case: 'tenantConfigApplied', value: config } } },
      T0,
    );
  }
}
function start(state: SlaState, i: number): SlaEvent[] {
  const input = { eventId: `s-${i}`, tenantId: tenant(i), aggregateId: `conv-${i}`, payload: startedPayload };
  return handle(state, { kind: 'input', input }, T0 + i);
}
function answerOne(state: SlaState, i: number): SlaEvent[] {
  const input = { eventId: `a-${i}`, tenantId: tenant(i), aggregateId: `conv-${i}`, payload: answer };
  return handle(state, { kind: 'input', input }, T0 + CONVERSATIONS + i);
}

// 1. Start every conversation (first response + resolution clocks), then answer half of them.
const state = createState({}, CONVERSATIONS * 2);
configure(state);
const before = memory();
let events = 0;
let t = performance.now();
for (let i = 0; i < CONVERSATIONS; i++) events += start(state, i).length;
const startS = (performance.now() - t) / 1000;
const clocks = state.timers.size;
const bytesPerClock = (memory() - before) / clocks;
t = performance.now();
for (let i = 0; i < CONVERSATIONS; i += 2) events += answerOne(state, i).length;
const answerS = (performance.now() - t) / 1000;
const inputs = CONVERSATIONS * 1.5;
console.log(
  `conversations=${CONVERSATIONS} running_clocks=${clocks} bytes_per_clock=${bytesPerClock.toFixed(0)} inputs=${inputs} events=${events} seconds=${(startS + answerS).toFixed(2)}`,
);

// 2. One tick an hour later: each unanswered first response warns twice and breaches.
t = performance.now();
const fired = handle(state, { kind: 'tick' }, T0 + 3_600_000).length;
const tickS = (performance.now() - t) / 1000;
console.log(`tick_fired=${fired} tick_seconds=${tickS.toFixed(2)} pending=${state.timers.size}`);

// 3. Recovery: the same history recorded as a changelog, replayed through evolve alone.
const recorder = createState({}, CONVERSATIONS * 2);
configure(recorder);
const log: SlaEvent[] = [];
for (let i = 0; i < CONVERSATIONS; i++) log.push(...start(recorder, i));
for (let i = 0; i < CONVERSATIONS; i += 2) log.push(...answerOne(recorder, i));
for (const e of handle(recorder, { kind: 'tick' }, T0 + 3_600_000)) log.push(e);
const replayed = createState({}, CONVERSATIONS * 2);
t = performance.now();
for (const e of log) evolve(replayed, e);
const replayS = (performance.now() - t) / 1000;
console.log(
  `replayed_events=${log.length} replayed_pending=${replayed.timers.size} replay_seconds=${replayS.toFixed(2)}`,
);
console.log(
  `bytes_per_clock=${bytesPerClock.toFixed(0)} inputs_per_s=${Math.round(inputs / (startS + answerS))} events_per_s=${Math.round(events / (startS + answerS))} fired_per_s=${Math.round(fired / tickS)} replay_events_per_s=${Math.round(log.length / replayS)}`,
);
