import { CHANNEL_NAMES, type Customer, type SkillRequirement } from './types';

/** How a rule condition compares an attribute. */
export type ConditionOperator = 'equals' | 'not_equals' | 'in' | 'exists';

/** A condition on a conversation attribute: "channel", "customer.tier", "customer.id" or any attribute. */
export interface Condition {
  attribute: string;
  operator: ConditionOperator;
  values: string[];
}

/** Maps conversation attributes to queue, required skills and priority. First match wins. */
export interface RoutingRule {
  id: string;
  when: Condition[];
  queueId: string;
  /** Added to the queue's default skills; the rule wins for the same skill. */
  skills: SkillRequirement[];
  /** Overrides the queue's default priority when set. */
  priority?: number | undefined;
}

/** One rung of a queue's escalation ladder (bullseye routing). */
export interface EscalationStep {
  /** Seconds in the queue after which the step applies; 0 means SLA-triggered only. */
  afterSeconds: number;
  onSlaWarning: boolean;
  onSlaBreach: boolean;
  relaxMinProficiencyBy: number;
  dropOptionalSkills: boolean;
  raisePriorityBy: number;
  /** Move into this queue (keeping the waiting time); empty for none. */
  overflowQueueId: string;
}

export interface QueueConfig {
  id: string;
  name: string;
  defaultPriority: number;
  defaultSkills: SkillRequirement[];
  escalation: EscalationStep[];
}

export interface OfferSettings {
  offerTimeoutSeconds: number;
  /** Missed offers in a row that set an agent away; 0 never does. */
  maxMissedOffers: number;
  /** How long after its last conversation a customer's agent is preferred. */
  preferredAgentWindowSeconds: number;
  defaultWrapUpSeconds: number;
}

/** The routing part of a tenant configuration (switchboard.config.v1.TenantConfig). */
export interface RoutingConfig {
  skills: { id: string; name: string }[];
  queues: QueueConfig[];
  rules: RoutingRule[];
  offers: OfferSettings;
  defaultQueueId: string;
}

export const DEFAULT_QUEUE_ID = 'default';

/** The configuration in force before a tenant applies one: everything waits in one queue. */
export function initialConfig(): RoutingConfig {
  return {
    skills: [],
    queues: [
      { id: DEFAULT_QUEUE_ID, name: 'Default', defaultPriority: 0, defaultSkills: [], escalation: [] },
    ],
    rules: [],
    offers: {
      offerTimeoutSeconds: 30,
      maxMissedOffers: 3,
      preferredAgentWindowSeconds: 0,
      defaultWrapUpSeconds: 0,
    },
    defaultQueueId: DEFAULT_QUEUE_ID,
  };
}

/**
 * Rules by one equality condition each (on the attribute with the most distinct values), so that
 * evaluation only checks rules that can match; rules without such a condition are always checked.
 */
interface RuleIndex {
  keyed: Map<string, Map<string, number[]>>;
  unkeyed: number[];
}

/** A configuration compiled for fast lookups. */
export interface CompiledConfig {
  version: number;
  source: RoutingConfig;
  queues: Map<string, QueueConfig>;
  rules: RuleIndex;
}

function indexRules(rules: RoutingRule[]): RuleIndex {
  const distinct = new Map<string, Set<string>>();
  for (const r of rules)
    for (const c of r.when)
      if (c.operator === 'equals' || c.operator === 'in') {
        const set = distinct.get(c.attribute) ?? new Set();
        for (const v of c.values) set.add(v);
        distinct.set(c.attribute, set);
      }
  const index: RuleIndex = { keyed: new Map(), unkeyed: [] };
  rules.forEach((r, i) => {
    let key: Condition | undefined;
    for (const c of r.when)
      if (
        (c.operator === 'equals' || c.operator === 'in') &&
        (!key || (distinct.get(c.attribute)?.size ?? 0) > (distinct.get(key.attribute)?.size ?? 0))
      )
        key = c;
    if (!key) {
      index.unkeyed.push(i);
      return;
    }
    const byValue = index.keyed.get(key.attribute) ?? new Map<string, number[]>();
    index.keyed.set(key.attribute, byValue);
    for (const v of key.operator === 'equals' ? key.values.slice(0, 1) : key.values) {
      const list = byValue.get(v) ?? [];
      if (list[list.length - 1] !== i) list.push(i);
      byValue.set(v, list);
    }
  });
  return index;
}

export function compileConfig(source: RoutingConfig, version: number): CompiledConfig {
  return {
    version,
    source,
    queues: new Map(source.queues.map((q) => [q.id, q])),
    rules: indexRules(source.rules),
  };
}

/** Where a new conversation goes. */
export interface RouteTarget {
  queueId: string;
  priority: number;
  requirements: SkillRequirement[];
  /** Empty when no rule matched (queue default). */
  ruleId: string;
}

export interface ConversationFacts {
  channel: number;
  customer: Customer;
  attributes: Readonly<Record<string, string>>;
}

function attributeOf(facts: ConversationFacts, name: string): string | undefined {
  if (name === 'channel') return CHANNEL_NAMES[facts.channel];
  if (name === 'customer.tier') return facts.customer.tier || undefined;
  if (name === 'customer.id') return facts.customer.id || undefined;
  return Object.hasOwn(facts.attributes, name) ? facts.attributes[name] : undefined;
}

function holds(c: Condition, facts: ConversationFacts): boolean {
  const v = attributeOf(facts, c.attribute);
  switch (c.operator) {
    case 'exists':
      return v !== undefined && v !== '';
    case 'equals':
      return v === c.values[0];
    case 'not_equals':
      return v !== c.values[0];
    case 'in':
      return v !== undefined && c.values.includes(v);
  }
}

/** Merges requirements; later ones win for the same skill. Sorted by skill for a stable signature. */
export function mergeRequirements(base: SkillRequirement[], extra: SkillRequirement[]): SkillRequirement[] {
  const bySkill = new Map<string, SkillRequirement>();
  for (const r of base) bySkill.set(r.skill, r);
  for (const r of extra) bySkill.set(r.skill, r);
  return [...bySkill.values()].sort((a, b) => (a.skill < b.skill ? -1 : a.skill > b.skill ? 1 : 0));
}

/** Queue target of a queue's defaults (transfers, unmatched conversations). */
export function queueDefaults(config: CompiledConfig, queueId: string, ruleId = ''): RouteTarget {
  const q = config.queues.get(queueId);
  return {
    queueId,
    priority: q?.defaultPriority ?? 0,
    requirements: mergeRequirements(q?.defaultSkills ?? [], []),
    ruleId,
  };
}

/** Evaluates the rules in order; the first whose conditions all hold decides. */
export function evaluateRules(config: CompiledConfig, facts: ConversationFacts): RouteTarget {
  const candidates = config.rules.unkeyed.slice();
  for (const [attribute, byValue] of config.rules.keyed) {
    const v = attributeOf(facts, attribute);
    const list = v === undefined ? undefined : byValue.get(v);
    if (list) for (const i of list) candidates.push(i);
  }
  candidates.sort((a, b) => a - b);
  for (const i of candidates) {
    const rule = config.source.rules[i] as RoutingRule;
    if (!rule.when.every((c) => holds(c, facts))) continue;
    const q = config.queues.get(rule.queueId);
    return {
      queueId: rule.queueId,
      priority: rule.priority ?? q?.defaultPriority ?? 0,
      requirements: mergeRequirements(q?.defaultSkills ?? [], rule.skills),
      ruleId: rule.id,
    };
  }
  return queueDefaults(config, config.source.defaultQueueId);
}
