import { create } from '@bufbuild/protobuf';
import {
  ConditionOperator as ProtoOperator,
  type SkillRequirement as ProtoRequirement,
  SkillRequirementSchema,
  type TenantConfig,
  TenantConfigSchema,
} from '@switchboard/contracts';
import type { ConditionOperator, RoutingConfig } from './config';
import type { SkillRequirement } from './types';

const OPERATOR_FROM: Record<number, ConditionOperator> = {
  [ProtoOperator.EQUALS]: 'equals',
  [ProtoOperator.NOT_EQUALS]: 'not_equals',
  [ProtoOperator.IN]: 'in',
  [ProtoOperator.EXISTS]: 'exists',
};
const OPERATOR_TO: Record<ConditionOperator, ProtoOperator> = {
  equals: ProtoOperator.EQUALS,
  not_equals: ProtoOperator.NOT_EQUALS,
  in: ProtoOperator.IN,
  exists: ProtoOperator.EXISTS,
};

export function requirementFromProto(r: ProtoRequirement): SkillRequirement {
  return { skill: r.skill, minProficiency: r.minProficiency, optional: r.optional };
}

export function requirementToProto(r: SkillRequirement): ProtoRequirement {
  return create(SkillRequirementSchema, r);
}

/** The routing part of a tenant configuration. An unspecified operator maps to "" (rejected by validation). */
export function routingConfigFromProto(c: TenantConfig): RoutingConfig {
  return {
    skills: c.skills.map((s) => ({ id: s.id, name: s.name })),
    queues: c.queues.map((q) => ({
      id: q.id,
      name: q.name,
      defaultPriority: q.defaultPriority,
      defaultSkills: q.defaultSkills.map(requirementFromProto),
      escalation: q.escalation.map((s) => ({
        afterSeconds: s.afterSeconds,
        onSlaWarning: s.onSlaWarning,
        onSlaBreach: s.onSlaBreach,
        relaxMinProficiencyBy: s.relaxMinProficiencyBy,
        dropOptionalSkills: s.dropOptionalSkills,
        raisePriorityBy: s.raisePriorityBy,
        overflowQueueId: s.overflowQueueId,
      })),
    })),
    rules: c.rules.map((r) => ({
      id: r.id,
      when: r.when.map((w) => ({
        attribute: w.attribute,
        operator: OPERATOR_FROM[w.operator] ?? ('' as ConditionOperator),
        values: [...w.values],
      })),
      queueId: r.queueId,
      skills: r.skills.map(requirementFromProto),
      priority: r.priority,
    })),
    offers: {
      offerTimeoutSeconds: c.offers?.offerTimeoutSeconds ?? 0,
      maxMissedOffers: c.offers?.maxMissedOffers ?? 0,
      preferredAgentWindowSeconds: c.offers?.preferredAgentWindowSeconds ?? 0,
      defaultWrapUpSeconds: c.offers?.defaultWrapUpSeconds ?? 0,
    },
    defaultQueueId: c.defaultQueueId,
  };
}

export function routingConfigToProto(c: RoutingConfig): TenantConfig {
  return create(TenantConfigSchema, {
    skills: c.skills,
    queues: c.queues.map((q) => ({
      id: q.id,
      name: q.name,
      defaultPriority: q.defaultPriority,
      defaultSkills: q.defaultSkills,
      escalation: q.escalation,
    })),
    rules: c.rules.map((r) => ({
      id: r.id,
      when: r.when.map((w) => ({
        attribute: w.attribute,
        operator: OPERATOR_TO[w.operator] ?? 0,
        values: w.values,
      })),
      queueId: r.queueId,
      skills: r.skills,
      ...(r.priority !== undefined ? { priority: r.priority } : {}),
    })),
    offers: c.offers,
    defaultQueueId: c.defaultQueueId,
  });
}
