import type { RoutingConfig } from '../src/domain/config';
import { Channel } from '../src/domain/types';

/** Seeded PRNG (mulberry32): benchmarks and fixtures are reproducible. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Shape {
  languages: number;
  lines: number;
  /** Specialties per product line. */
  specialties: number;
}

/** 20 languages + 18 product lines + 162 specialties = 200 skills. */
export const BENCH_SHAPE: Shape = { languages: 20, lines: 18, specialties: 9 };

export const lang = (i: number) => `lang-${i}`;
export const line = (i: number) => `line-${i}`;
export const spec = (l: number, i: number) => `spec-${l}-${i}`;

/**
 * A contact-centre tenant: a queue per product line with an escalation ladder, a rule per
 * (language, line) and VIP rules that add a specialty; conversations need 1 to 3 skills.
 */
export function tenantConfig(shape: Shape): RoutingConfig {
  const skills = [];
  for (let i = 0; i < shape.languages; i++) skills.push({ id: lang(i), name: `Language ${i}` });
  for (let l = 0; l < shape.lines; l++) {
    skills.push({ id: line(l), name: `Line ${l}` });
    for (let s = 0; s < shape.specialties; s++) skills.push({ id: spec(l, s), name: `Specialty ${l}.${s}` });
  }
  const queues: RoutingConfig['queues'] = [
    { id: 'general', name: 'General', defaultPriority: 0, defaultSkills: [], escalation: [] },
  ];
  const rules: RoutingConfig['rules'] = [];
  for (let l = 0; l < shape.lines; l++) {
    queues.push({
      id: `q-${l}`,
      name: `Line ${l}`,
      defaultPriority: 1,
      defaultSkills: [{ skill: line(l), minProficiency: 2, optional: false }],
      escalation: [
        {
          afterSeconds: 120,
          onSlaWarning: true,
          onSlaBreach: false,
          relaxMinProficiencyBy: 1,
          dropOptionalSkills: true,
          raisePriorityBy: 1,
          overflowQueueId: '',
        },
        {
          afterSeconds: 600,
          onSlaWarning: false,
          onSlaBreach: true,
          relaxMinProficiencyBy: 0,
          dropOptionalSkills: false,
          raisePriorityBy: 2,
          overflowQueueId: '',
        },
      ],
    });
  }
  for (let l = 0; l < shape.lines; l++) {
    for (let s = 0; s < shape.specialties; s++) {
      rules.push({
        id: `vip-${l}-${s}`,
        when: [
          { attribute: 'customer.tier', operator: 'equals', values: ['gold'] },
          { attribute: 'topic', operator: 'equals', values: [spec(l, s)] },
        ],
        queueId: `q-${l}`,
        skills: [{ skill: spec(l, s), minProficiency: 3, optional: true }],
        priority: 10,
      });
    }
  }
  for (let i = 0; i < shape.languages; i++) {
    for (let l = 0; l < shape.lines; l++) {
      rules.push({
        id: `r-${i}-${l}`,
        when: [
          { attribute: 'language', operator: 'equals', values: [lang(i)] },
          { attribute: 'line', operator: 'equals', values: [line(l)] },
        ],
        queueId: `q-${l}`,
        skills: [{ skill: lang(i), minProficiency: 2, optional: false }],
      });
    }
  }
  return {
    skills,
    queues,
    rules,
    offers: {
      offerTimeoutSeconds: 20,
      maxMissedOffers: 3,
      preferredAgentWindowSeconds: 3600,
      defaultWrapUpSeconds: 0,
    },
    defaultQueueId: 'general',
  };
}

export interface AgentProfile {
  agentId: string;
  skills: { skill: string; proficiency: number }[];
  channels: { channel: Channel; capacity: number }[];
  total: number;
}

/** Agents speak 1–2 languages and cover 1–2 product lines with some of their specialties. */
export function agentProfile(i: number, shape: Shape, rnd: () => number): AgentProfile {
  const skills = new Map<string, number>();
  const prof = () => 2 + Math.floor(rnd() * 4);
  skills.set(lang(Math.floor(rnd() * shape.languages)), prof());
  if (rnd() < 0.4) skills.set(lang(Math.floor(rnd() * shape.languages)), prof());
  const lines = rnd() < 0.5 ? 2 : 1;
  for (let k = 0; k < lines; k++) {
    const l = Math.floor(rnd() * shape.lines);
    skills.set(line(l), prof());
    for (let s = 0; s < shape.specialties; s++) if (rnd() < 0.3) skills.set(spec(l, s), prof());
  }
  const kind = rnd();
  const channels =
    kind < 0.3
      ? [{ channel: Channel.VOICE, capacity: 1 }]
      : kind < 0.8
        ? [
            { channel: Channel.CHAT, capacity: 3 },
            { channel: Channel.EMAIL, capacity: 2 },
          ]
        : [
            { channel: Channel.EMAIL, capacity: 5 },
            { channel: Channel.SMS, capacity: 3 },
          ];
  return {
    agentId: `agent-${i}`,
    skills: [...skills].map(([skill, proficiency]) => ({ skill, proficiency })),
    channels,
    total: kind >= 0.8 ? 6 : 0,
  };
}

const CHANNELS = [
  Channel.VOICE,
  Channel.VOICE,
  Channel.VOICE,
  Channel.CHAT,
  Channel.CHAT,
  Channel.CHAT,
  Channel.CHAT,
  Channel.EMAIL,
  Channel.EMAIL,
  Channel.SMS,
];

export interface ConversationSpec {
  conversationId: string;
  channel: Channel;
  customer: { id: string; tier: string };
  attributes: Record<string, string>;
}

/** A new conversation: language, product line, sometimes a gold customer with a specialty topic. */
export function conversationSpec(
  i: number,
  shape: Shape,
  customers: number,
  rnd: () => number,
): ConversationSpec {
  const l = Math.floor(rnd() * shape.lines);
  const gold = rnd() < 0.1;
  return {
    conversationId: `conv-${i}`,
    channel: CHANNELS[Math.floor(rnd() * CHANNELS.length)] as Channel,
    customer: { id: `cust-${Math.floor(rnd() * customers)}`, tier: gold ? 'gold' : '' },
    attributes: {
      language: lang(Math.floor(rnd() * shape.languages)),
      line: line(l),
      ...(gold ? { topic: spec(l, Math.floor(rnd() * shape.specialties)) } : {}),
    },
  };
}
