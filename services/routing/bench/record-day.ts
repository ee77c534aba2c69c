/**
 * Records a day of contact-centre traffic for the scenario test: a seeded simulation of customers
 * (arrivals that peak mid-morning, patience, reopens), agents (shifts, breaks, answer delays,
 * declines, missed offers, handle and wrap-up times) and the sla-timer (warnings after 60 s of
 * waiting), run against the routing core. Each input is written with the time it was decided at.
 *
 *   npx tsx --conditions=@switchboard/source bench/record-day.ts > test/fixtures/day-of-traffic.jsonl
 */
import type { RoutingCommand } from '../src/domain/commands';
import { decide, nextDeadline } from '../src/domain/decide';
import type { RoutingEvent } from '../src/domain/events';
import { createState, evolveAll } from '../src/domain/state';
import { Presence } from '../src/domain/types';
import { agentProfile, conversationSpec, prng, type Shape, tenantConfig } from './tenant-model';

const SHAPE: Shape = { languages: 3, lines: 4, specialties: 2 };
const AGENTS = 60;
const DAY_START = Date.UTC(2026, 10, 23, 8, 0, 0);
const DAY_SECONDS = 10 * 3600;

const rnd = prng(7);
const state = createState();
let now = DAY_START;
let seq = 0;
const out: string[] = [];
const at = new Map<number, (() => void)[]>();

function later(seconds: number, fn: () => void): void {
  const t = now + Math.max(1, Math.round(seconds)) * 1000;
  const list = at.get(t) ?? [];
  list.push(fn);
  at.set(t, list);
}

function exp(mean: number): number {
  return -Math.log(1 - rnd()) * mean;
}

function send(cmd: RoutingCommand): RoutingEvent[] {
  const events = decide(state, cmd, now);
  evolveAll(state, events);
  out.push(JSON.stringify({ now, cmd }));
  for (const e of events) react(e);
  return events;
}

function id(): string {
  return `evt-${++seq}`;
}

/** Agents answer offers after a few seconds: mostly accept, some decline, some never answer. */
function react(e: RoutingEvent): void {
  if (e.type === 'ConversationOffered') {
    const r = rnd();
    if (r < 0.05) return; // missed: the offer times out
    const { conversationId, agentId, offerId } = e;
    later(2 + rnd() * 12, () => {
      const c = state.conversations.get(conversationId);
      if (c?.status !== 'offered' || c.offerId !== offerId) return;
      if (r < 0.1)
        send({ type: 'DeclineOffer', eventId: id(), agentId, conversationId, offerId, reason: 'busy' });
      else send({ type: 'AcceptOffer', eventId: id(), agentId, conversationId, offerId });
    });
  } else if (e.type === 'ConversationAssigned') {
    const { conversationId, agentId } = e;
    later(30 + exp(240), () => {
      const c = state.conversations.get(conversationId);
      if (c?.status !== 'active' || c.agentId !== agentId) return;
      if (rnd() < 0.03) {
        send({
          type: 'TransferConversation',
          eventId: id(),
          agentId,
          conversationId,
          target: { queueId: 'general' },
          note: 'wrong line',
        });
        return;
      }
      send({
        type: 'CompleteConversation',
        eventId: id(),
        agentId,
        conversationId,
        wrapUpSeconds: rnd() < 0.3 ? 30 : 0,
      });
      if (rnd() < 0.03) later(600, () => send({ type: 'ReopenConversation', eventId: id(), conversationId }));
    });
  } else if (e.type === 'ConversationQueued') {
    const { conversationId } = e;
    const patience = 60 + exp(240);
    if (!e.atFront)
      later(60, () => {
        if (state.conversations.get(conversationId)?.status === 'waiting')
          send({ type: 'EscalateOnSla', eventId: id(), conversationId, kind: 'warning' });
      });
    later(patience, () => {
      if (state.conversations.get(conversationId)?.status === 'waiting')
        send({ type: 'AbandonConversation', eventId: id(), conversationId, reason: 'hung up' });
    });
  }
}

send({
  type: 'ApplyTenantConfig',
  eventId: id(),
  version: 1,
  config: {
    ...tenantConfig(SHAPE),
    offers: {
      offerTimeoutSeconds: 20,
      maxMissedOffers: 2,
      preferredAgentWindowSeconds: 3600,
      defaultWrapUpSeconds: 0,
    },
  },
});
for (let i = 0; i < AGENTS; i++) {
  const p = agentProfile(i, SHAPE, rnd);
  send({ type: 'SetSkills', eventId: id(), agentId: p.agentId, skills: p.skills });
  send({ type: 'SetCapacity', eventId: id(), agentId: p.agentId, channels: p.channels, total: p.total });
  const shiftStart = i < AGENTS / 2 ? rnd() * 1800 : 4 * 3600 + rnd() * 1800;
  const shiftEnd = shiftStart + 5 * 3600 + rnd() * 1800;
  const agentId = p.agentId;
  later(shiftStart, () =>
    send({ type: 'SetPresence', eventId: id(), agentId, presence: Presence.AVAILABLE }),
  );
  const breakAt = shiftStart + 2 * 3600 + rnd() * 3600;
  later(breakAt, () => send({ type: 'SetPresence', eventId: id(), agentId, presence: Presence.AWAY }));
  later(breakAt + 900, () =>
    send({ type: 'SetPresence', eventId: id(), agentId, presence: Presence.AVAILABLE }),
  );
  later(Math.min(shiftEnd, DAY_SECONDS - 60), () =>
    send({ type: 'SetPresence', eventId: id(), agentId, presence: Presence.OFFLINE }),
  );
}

let conversation = 0;
for (let s = 0; s < DAY_SECONDS + 3600; s++) {
  now = DAY_START + s * 1000;
  // Arrivals peak mid-morning and mid-afternoon; none after closing.
  const hour = s / 3600;
  const rate = s < DAY_SECONDS - 1800 ? 0.02 + 0.03 * Math.max(0, Math.sin((hour / 5) * Math.PI)) : 0;
  if (rnd() < rate) {
    const spec = conversationSpec(conversation++, SHAPE, 400, rnd);
    send({ type: 'StartConversation', eventId: id(), ...spec });
  }
  for (const fn of at.get(now) ?? []) fn();
  at.delete(now);
  const due = nextDeadline(state);
  if (due !== undefined && due <= now) send({ type: 'Tick' });
}
process.stdout.write(`${out.join('\n')}\n`);
