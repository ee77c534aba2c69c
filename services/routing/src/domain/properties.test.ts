import fc from 'fast-check';
import type { RoutingCommand } from './commands';
import { decide } from './decide';
import type { RoutingEvent } from './events';
import { fromSnapshot, toSnapshot } from './snapshot';
import { createState, evolve, evolveAll, type TenantRoutingState } from './state';
import { config, req } from './testing/harness';
import { violations } from './testing/invariants';
import { Channel, Presence } from './types';

const AGENTS = ['a0', 'a1', 'a2', 'a3'];
const CONVS = ['c0', 'c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7', 'c8', 'c9', 'c10', 'c11'];
const SKILLS = ['en', 'de', 'vip'];

const tenantConfig = config({
  skills: SKILLS.map((id) => ({ id, name: id })),
  queues: [
    {
      id: 'general',
      defaultSkills: [req('en', 2)],
      escalation: [
        {
          afterSeconds: 20,
          onSlaWarning: true,
          onSlaBreach: false,
          relaxMinProficiencyBy: 1,
          dropOptionalSkills: false,
          raisePriorityBy: 1,
          overflowQueueId: '',
        },
        {
          afterSeconds: 40,
          onSlaWarning: false,
          onSlaBreach: true,
          relaxMinProficiencyBy: 0,
          dropOptionalSkills: false,
          raisePriorityBy: 0,
          overflowQueueId: 'any',
        },
      ],
    },
    { id: 'german', defaultSkills: [req('de', 3)], defaultPriority: 2 },
    {
      id: 'vip',
      defaultSkills: [req('en', 3), req('vip', 4, true)],
      defaultPriority: 10,
      escalation: [
        {
          afterSeconds: 15,
          onSlaWarning: false,
          onSlaBreach: false,
          relaxMinProficiencyBy: 0,
          dropOptionalSkills: true,
          raisePriorityBy: 0,
          overflowQueueId: '',
        },
      ],
    },
    { id: 'any' },
  ],
  rules: [
    {
      id: 'gold',
      when: [{ attribute: 'customer.tier', operator: 'equals', values: ['gold'] }],
      queueId: 'vip',
      skills: [],
    },
    {
      id: 'german',
      when: [{ attribute: 'language', operator: 'in', values: ['de'] }],
      queueId: 'german',
      skills: [],
    },
  ],
  defaultQueueId: 'general',
  offers: {
    offerTimeoutSeconds: 10,
    maxMissedOffers: 2,
    preferredAgentWindowSeconds: 120,
    defaultWrapUpSeconds: 0,
  },
});

/** A step of a random run; commands that need live values (offer ids) are completed against the state. */
type Step =
  | { k: 'start'; c: number; voice: boolean; customer: number; gold: boolean; de: boolean }
  | { k: 'presence'; a: number; p: Presence }
  | { k: 'skills'; a: number; levels: number[] }
  | { k: 'capacity'; a: number; chat: number; voice: number; total: number }
  | { k: 'accept' | 'decline' | 'resolve' | 'abandon' | 'reopen'; c: number }
  | { k: 'complete'; c: number; wrap: number }
  | { k: 'transfer'; c: number; toAgent: number; toQueue: boolean }
  | { k: 'sla'; c: number; breach: boolean }
  | { k: 'advance'; s: number }
  | { k: 'replay'; back: number };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      k: fc.constant('start' as const),
      c: fc.nat(11),
      voice: fc.boolean(),
      customer: fc.nat(3),
      gold: fc.boolean(),
      de: fc.boolean(),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      k: fc.constant('presence' as const),
      a: fc.nat(3),
      p: fc.constantFrom(Presence.AVAILABLE, Presence.AVAILABLE, Presence.AWAY, Presence.OFFLINE),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      k: fc.constant('skills' as const),
      a: fc.nat(3),
      levels: fc.array(fc.nat(5), { minLength: 3, maxLength: 3 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      k: fc.constant('capacity' as const),
      a: fc.nat(3),
      chat: fc.nat(2),
      voice: fc.nat(1),
      total: fc.nat(3),
    }),
  },
  { weight: 5, arbitrary: fc.record({ k: fc.constant('accept' as const), c: fc.nat(11) }) },
  {
    weight: 3,
    arbitrary: fc.record({
      k: fc.constantFrom('decline' as const, 'resolve' as const, 'abandon' as const, 'reopen' as const),
      c: fc.nat(11),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      k: fc.constant('complete' as const),
      c: fc.nat(11),
      wrap: fc.constantFrom(0, 0, 5),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      k: fc.constant('transfer' as const),
      c: fc.nat(11),
      toAgent: fc.nat(3),
      toQueue: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ k: fc.constant('sla' as const), c: fc.nat(11), breach: fc.boolean() }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ k: fc.constant('advance' as const), s: fc.integer({ min: 0, max: 15 }) }),
  },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('replay' as const), back: fc.nat(10) }) },
);

interface Recorded {
  cmd: RoutingCommand;
  now: number;
}

/** Turns a step into a command against the current state (offer ids, holders). */
function materialise(step: Step, state: TenantRoutingState, n: number, history: Recorded[]): RoutingCommand {
  const eventId = `in-${n}`;
  const conv = (i: number) => state.conversations.get(CONVS[i] as string);
  // Aim agent commands at a conversation in the right status when there is one, else at the one drawn.
  const pick = (i: number, status: string) => {
    for (let d = 0; d < CONVS.length; d++) {
      const j = (i + d) % CONVS.length;
      if (conv(j)?.status === status) return j;
    }
    return i;
  };
  if (step.k === 'accept' || step.k === 'decline') step = { ...step, c: pick(step.c, 'offered') };
  if (step.k === 'complete' || step.k === 'transfer' || step.k === 'resolve')
    step = { ...step, c: pick(step.c, 'active') };
  if (step.k === 'abandon' || step.k === 'sla') step = { ...step, c: pick(step.c, 'waiting') };
  if (step.k === 'reopen') step = { ...step, c: pick(step.c, 'completed') };
  switch (step.k) {
    case 'start':
      return {
        type: 'StartConversation',
        eventId,
        conversationId: CONVS[step.c] as string,
        channel: step.voice ? Channel.VOICE : Channel.CHAT,
        customer: { id: `cust${step.customer}`, tier: step.gold ? 'gold' : '' },
        attributes: step.de ? { language: 'de' } : {},
      };
    case 'presence':
      return { type: 'SetPresence', eventId, agentId: AGENTS[step.a] as string, presence: step.p };
    case 'skills':
      return {
        type: 'SetSkills',
        eventId,
        agentId: AGENTS[step.a] as string,
        skills: step.levels.flatMap((p, i) =>
          p > 0 ? [{ skill: SKILLS[i] as string, proficiency: p }] : [],
        ),
      };
    case 'capacity':
      return {
        type: 'SetCapacity',
        eventId,
        agentId: AGENTS[step.a] as string,
        channels: [
          { channel: Channel.CHAT, capacity: step.chat },
          { channel: Channel.VOICE, capacity: step.voice },
        ],
        total: step.total,
      };
    case 'accept':
    case 'decline': {
      const c = conv(step.c);
      const base = {
        eventId,
        agentId: c?.agentId || 'a0',
        conversationId: CONVS[step.c] as string,
        offerId: c?.offerId || 'none',
      };
      return step.k === 'accept'
        ? { type: 'AcceptOffer', ...base }
        : { type: 'DeclineOffer', ...base, reason: 'busy' };
    }
    case 'resolve':
      return { type: 'ResolveConversation', eventId, conversationId: CONVS[step.c] as string };
    case 'abandon':
      return { type: 'AbandonConversation', eventId, conversationId: CONVS[step.c] as string, reason: '' };
    case 'reopen':
      return { type: 'ReopenConversation', eventId, conversationId: CONVS[step.c] as string };
    case 'complete':
      return {
        type: 'CompleteConversation',
        eventId,
        agentId: conv(step.c)?.agentId || 'a0',
        conversationId: CONVS[step.c] as string,
        wrapUpSeconds: step.wrap,
      };
    case 'transfer':
      return {
        type: 'TransferConversation',
        eventId,
        agentId: conv(step.c)?.agentId || 'a0',
        conversationId: CONVS[step.c] as string,
        target: step.toQueue ? { queueId: 'german' } : { agentId: AGENTS[step.toAgent] as string },
        note: '',
      };
    case 'sla':
      return {
        type: 'EscalateOnSla',
        eventId,
        conversationId: CONVS[step.c] as string,
        kind: step.breach ? 'breach' : 'warning',
      };
    case 'advance':
      return { type: 'Tick' };
    case 'replay': {
      const old = history[history.length - 1 - step.back];
      return old && old.cmd.type !== 'Tick' ? old.cmd : { type: 'Tick' };
    }
  }
}

interface Run {
  recorded: Recorded[];
  events: RoutingEvent[][];
  state: TenantRoutingState;
  problems: string[];
}

function run(steps: Step[], checkPurity: boolean): Run {
  const state = createState({ idempotencyWindow: 64 });
  const recorded: Recorded[] = [];
  const events: RoutingEvent[][] = [];
  const started = new Set<string>();
  const problems: string[] = [];
  let now = 1_700_000_000_000;
  const apply = (cmd: RoutingCommand) => {
    const before = checkPurity ? toSnapshot(state) : undefined;
    const out = decide(state, cmd, now);
    if (before && Buffer.compare(Buffer.from(before), Buffer.from(toSnapshot(state))) !== 0)
      problems.push(`decide changed the state for ${cmd.type}`);
    evolveAll(state, out);
    recorded.push({ cmd, now });
    events.push(out);
    if (cmd.type === 'StartConversation') started.add(cmd.conversationId);
    for (const v of violations(state, started, out))
      problems.push(`after #${recorded.length} ${cmd.type}: ${v}`);
  };
  apply({ type: 'ApplyTenantConfig', eventId: 'config', version: 1, config: tenantConfig });
  // A working team to start from; random steps then change it.
  const team: [string, Record<string, number>, number, number, number][] = [
    ['a0', { en: 3, de: 3 }, 2, 1, 0],
    ['a1', { en: 4, vip: 5 }, 1, 1, 0],
    ['a2', { de: 4 }, 2, 0, 0],
    ['a3', { en: 2 }, 1, 1, 1],
  ];
  for (const [agentId, skills, chat, voice, total] of team) {
    const skillList = Object.entries(skills).map(([skill, proficiency]) => ({ skill, proficiency }));
    apply({ type: 'SetSkills', eventId: `${agentId}-skills`, agentId, skills: skillList });
    const channels = [
      { channel: Channel.CHAT, capacity: chat },
      { channel: Channel.VOICE, capacity: voice },
    ];
    apply({ type: 'SetCapacity', eventId: `${agentId}-capacity`, agentId, channels, total });
    apply({ type: 'SetPresence', eventId: `${agentId}-presence`, agentId, presence: Presence.AVAILABLE });
  }
  steps.forEach((step, i) => {
    if (step.k === 'advance') now += step.s * 1000;
    else now += 100;
    apply(materialise(step, state, i, recorded));
  });
  return { recorded, events, state, problems };
}

const runs = { numRuns: 150 };
const steps = fc.array(stepArb, { minLength: 5, maxLength: 120 });

describe('routing properties over random command sequences', () => {
  test('random runs exercise every kind of routing event', () => {
    const counts = new Map<string, number>();
    for (const s of fc.sample(steps, { numRuns: 100, seed: 42 })) {
      for (const out of run(s, false).events)
        for (const e of out) counts.set(e.type, (counts.get(e.type) ?? 0) + 1);
    }
    const kinds = [
      'ConversationQueued',
      'ConversationOffered',
      'OfferExpired',
      'OfferDeclined',
      'ConversationAssigned',
      'ConversationReleased',
      'ConversationDequeued',
      'ConversationEscalated',
      'ConversationTransferred',
      'AgentStateChanged',
    ];
    for (const kind of kinds) expect([kind, (counts.get(kind) ?? 0) > 2]).toEqual([kind, true]);
  });

  test('invariants hold after every command: single holder, capacity, work conservation, nothing lost, pure decide', () => {
    fc.assert(
      fc.property(steps, (s) => {
        expect(run(s, true).problems).toEqual([]);
      }),
      runs,
    );
  });

  test('the same commands give the same events', () => {
    fc.assert(
      fc.property(steps, (s) => {
        const first = run(s, false);
        const state = createState({ idempotencyWindow: 64 });
        const again = first.recorded.map(({ cmd, now }) => {
          const out = decide(state, cmd, now);
          evolveAll(state, out);
          return out;
        });
        expect(again).toEqual(first.events);
      }),
      runs,
    );
  });

  test('snapshot + replay of the remaining events equals the live state, and decides the same from there', () => {
    fc.assert(
      fc.property(steps, fc.nat(), (s, cut) => {
        const live = run(s, false);
        const k = cut % (live.recorded.length + 1);
        // Rebuild the state at k from the full event history, snapshot it, restore it.
        const prefix = createState({ idempotencyWindow: 64 });
        for (const out of live.events.slice(0, k)) for (const e of out) evolve(prefix, e);
        const restored = fromSnapshot(toSnapshot(prefix), { idempotencyWindow: 64 });
        expect(toSnapshot(restored)).toEqual(toSnapshot(prefix));
        // Deciding the rest from the restored state gives the live events...
        const decided = live.recorded.slice(k).map(({ cmd, now }) => {
          const out = decide(restored, cmd, now);
          evolveAll(restored, out);
          return out;
        });
        expect(decided).toEqual(live.events.slice(k));
        // ...and the final states are equal.
        expect(toSnapshot(restored)).toEqual(toSnapshot(live.state));
      }),
      runs,
    );
  });

  test('replaying every event from an empty state equals the live state', () => {
    fc.assert(
      fc.property(steps, (s) => {
        const live = run(s, false);
        const replayed = createState({ idempotencyWindow: 64 });
        for (const out of live.events) for (const e of out) evolve(replayed, e);
        expect(toSnapshot(replayed)).toEqual(toSnapshot(live.state));
      }),
      runs,
    );
  });
});
