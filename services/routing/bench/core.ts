/**
 * Routing core benchmark: 20k agents, 200 skills, 100k waiting conversations, then a mixed stream
 * of new conversations, accepts, completes, presence changes and timeouts, decided and applied one
 * command at a time on one thread. Prints figures and ends with one `key=value` line.
 *
 *   pnpm bench:routing-core            (from the repository root)
 *   BENCH_AGENTS=2000 BENCH_WAITING=10000 BENCH_COMMANDS=50000 pnpm --filter @switchboard/routing bench:core
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { RoutingCommand } from '../src/domain/commands';
import { decide } from '../src/domain/decide';
import type { RoutingEvent } from '../src/domain/events';
import { createState, evolveAll, type TenantRoutingState } from '../src/domain/state';
import { Presence } from '../src/domain/types';
import { agentProfile, BENCH_SHAPE, conversationSpec, prng, tenantConfig } from './tenant-model';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const AGENTS = Number(process.env.BENCH_AGENTS ?? 20_000);
const WAITING = Number(process.env.BENCH_WAITING ?? 100_000);
const COMMANDS = Number(process.env.BENCH_COMMANDS ?? 1_000_000);
const CUSTOMERS = 200_000;

const rnd = prng(20261123);
let now = Date.UTC(2026, 10, 23, 8, 0, 0);
let seq = 0;
const offered: string[] = [];
const active: { conversationId: string; agentId: string }[] = [];

function track(events: RoutingEvent[]): void {
  for (const e of events) {
    if (e.type === 'ConversationOffered') offered.push(e.conversationId);
    else if (e.type === 'ConversationAssigned')
      active.push({ conversationId: e.conversationId, agentId: e.agentId });
  }
}

function run(state: TenantRoutingState, cmd: RoutingCommand): RoutingEvent[] {
  const events = decide(state, cmd, now);
  evolveAll(state, events);
  return events;
}

function heap(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** Takes one item at a random position in O(1) (order does not matter here). */
function takeRandom<T>(list: T[]): T | undefined {
  if (list.length === 0) return undefined;
  const i = Math.floor(rnd() * list.length);
  const item = list[i] as T;
  list[i] = list[list.length - 1] as T;
  list.pop();
  return item;
}

function acceptOne(state: TenantRoutingState): RoutingCommand {
  for (;;) {
    const id = takeRandom(offered);
    if (id === undefined) return { type: 'Tick' };
    const c = state.conversations.get(id);
    if (c?.status === 'offered')
      return {
        type: 'AcceptOffer',
        eventId: `cmd-${++seq}`,
        agentId: c.agentId,
        conversationId: id,
        offerId: c.offerId,
      };
  }
}

function completeOne(state: TenantRoutingState): RoutingCommand {
  for (;;) {
    const a = takeRandom(active);
    if (a === undefined) return { type: 'Tick' };
    const c = state.conversations.get(a.conversationId);
    if (c?.status === 'active' && c.agentId === a.agentId)
      return {
        type: 'CompleteConversation',
        eventId: `cmd-${++seq}`,
        agentId: a.agentId,
        conversationId: a.conversationId,
        wrapUpSeconds: 0,
      };
  }
}

let nextConversation = 0;
function startOne(): RoutingCommand {
  const spec = conversationSpec(nextConversation++, BENCH_SHAPE, CUSTOMERS, rnd);
  return { type: 'StartConversation', eventId: `cmd-${++seq}`, ...spec };
}

const away: string[] = [];
function presenceOne(): RoutingCommand {
  if (away.length > AGENTS / 50 || (away.length > 0 && rnd() < 0.5)) {
    const agentId = takeRandom(away) as string;
    return { type: 'SetPresence', eventId: `cmd-${++seq}`, agentId, presence: Presence.AVAILABLE };
  }
  const agentId = `agent-${Math.floor(rnd() * AGENTS)}`;
  away.push(agentId);
  const presence = rnd() < 0.3 ? Presence.OFFLINE : Presence.AWAY;
  return { type: 'SetPresence', eventId: `cmd-${++seq}`, agentId, presence };
}

function main(): void {
  const base = heap();
  const state = createState();
  run(state, {
    type: 'ApplyTenantConfig',
    eventId: 'config-1',
    version: 1,
    config: tenantConfig(BENCH_SHAPE),
  });
  const buildStart = performance.now();
  for (let i = 0; i < AGENTS; i++) {
    const p = agentProfile(i, BENCH_SHAPE, rnd);
    run(state, { type: 'SetSkills', eventId: `skills-${i}`, agentId: p.agentId, skills: p.skills });
    run(state, {
      type: 'SetCapacity',
      eventId: `cap-${i}`,
      agentId: p.agentId,
      channels: p.channels,
      total: p.total,
    });
    run(state, { type: 'SetPresence', eventId: `on-${i}`, agentId: p.agentId, presence: Presence.AVAILABLE });
  }
  const withAgents = heap();
  // Fill every agent it can, accept everything, then let the queues grow to the waiting target.
  let waiting = 0;
  let guard = 0;
  // Arrivals are spread over 20 simulated minutes (ticks included) so escalations do not all fall
  // due in the same second of the measured stream.
  const step = (20 * 60_000) / (WAITING * 1.5);
  let lastTick = now;
  while (waiting < WAITING && guard++ < WAITING * 20) {
    now += step;
    if (now - lastTick >= 1000) {
      lastTick = now;
      track(run(state, { type: 'Tick' }));
    }
    const events = run(state, startOne());
    track(events);
    if (events.length === 1) waiting++;
    while (offered.length > 0) track(run(state, acceptOne(state)));
  }
  now = Math.ceil(now);
  const built = heap();
  const held = active.length;
  const waitingNow = [...state.queues.values()].reduce((n, q) => n + q.waiting, 0);
  const buildMs = performance.now() - buildStart;

  // The mixed stream.
  const latencies = new Float64Array(COMMANDS);
  const kinds = new Map<string, number>();
  const byKind = new Map<string, number[]>();
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < COMMANDS; i++) {
    const r = rnd();
    let cmd: RoutingCommand;
    if (r < 0.3) cmd = startOne();
    else if (r < 0.6) cmd = acceptOne(state);
    else if (r < 0.9) cmd = completeOne(state);
    else if (r < 0.97) cmd = presenceOne();
    else {
      now += 1000;
      cmd = { type: 'Tick' };
    }
    kinds.set(cmd.type, (kinds.get(cmd.type) ?? 0) + 1);
    const s = process.hrtime.bigint();
    const events = decide(state, cmd, now);
    evolveAll(state, events);
    latencies[i] = Number(process.hrtime.bigint() - s) / 1000;
    const list = byKind.get(cmd.type) ?? [];
    list.push(latencies[i] as number);
    byKind.set(cmd.type, list);
    track(events);
  }
  const elapsedS = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  const cpuS = (cpu.user + cpu.system) / 1e6;
  latencies.sort();
  const pct = (p: number) => latencies[Math.min(COMMANDS - 1, Math.floor(COMMANDS * p))] as number;
  const waitingEnd = [...state.queues.values()].reduce((n, q) => n + q.waiting, 0);

  for (const [kind, list] of byKind) {
    list.sort((a, b) => a - b);
    const at = (p: number) =>
      (list[Math.min(list.length - 1, Math.floor(list.length * p))] as number).toFixed(1);
    const mean = list.reduce((n, x) => n + x, 0) / list.length;
    console.log(
      `  ${kind.padEnd(22)} n=${list.length} mean=${mean.toFixed(1)} p50=${at(0.5)} p99=${at(0.99)} p99.9=${at(0.999)} max=${at(1)} us`,
    );
  }
  const bytesPerAgent = (withAgents - base) / AGENTS;
  const bytesPerWaiting = (built - withAgents) / (waitingNow + held);
  console.log(
    `agents=${AGENTS} skills=${BENCH_SHAPE.languages + BENCH_SHAPE.lines * (1 + BENCH_SHAPE.specialties)} groups=${state.groupList.length} waiting=${waitingNow} held=${held} build=${(buildMs / 1000).toFixed(1)} s`,
  );
  console.log(
    `commands=${COMMANDS} ${JSON.stringify(Object.fromEntries(kinds))} waiting_at_end=${waitingEnd}`,
  );
  // On a shared machine the process gets a fraction of a core; CPU time shows what the work cost.
  console.log(
    `stream: wall=${elapsedS.toFixed(1)} s cpu=${cpuS.toFixed(1)} s (${Math.round((100 * cpuS) / elapsedS)}% of a core), ` +
      `decisions per CPU second=${Math.round(COMMANDS / cpuS)}`,
  );
  console.log(
    `heap: base=${(base / 1e6).toFixed(1)} MB agents=${((withAgents - base) / 1e6).toFixed(1)} MB conversations=${((built - withAgents) / 1e6).toFixed(1)} MB`,
  );
  console.log(
    `decisions_per_s=${Math.round(COMMANDS / elapsedS)} p50_us=${pct(0.5).toFixed(1)} p99_us=${pct(0.99).toFixed(1)} ` +
      `p999_us=${pct(0.999).toFixed(1)} bytes_per_agent=${Math.round(bytesPerAgent)} bytes_per_waiting=${Math.round(bytesPerWaiting)}`,
  );
}

main();
