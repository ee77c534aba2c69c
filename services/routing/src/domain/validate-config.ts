import type { RoutingConfig } from './config';
import type { SkillRequirement } from './types';

/** One problem of a configuration; `path` is a JSON pointer into it. */
export interface ConfigProblem {
  path: string;
  message: string;
}

const OPERATORS = new Set(['equals', 'not_equals', 'in', 'exists']);

/** Every problem of a routing configuration; empty when it can be applied. */
export function validateRoutingConfig(config: RoutingConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const add = (path: string, message: string) => problems.push({ path, message });

  const skills = new Set<string>();
  config.skills.forEach((s, i) => {
    if (!s.id) add(`/skills/${i}/id`, 'skill id is empty');
    else if (skills.has(s.id)) add(`/skills/${i}/id`, `duplicate skill id "${s.id}"`);
    skills.add(s.id);
  });

  const checkRequirements = (reqs: SkillRequirement[], path: string) => {
    const seen = new Set<string>();
    reqs.forEach((r, i) => {
      if (!skills.has(r.skill)) add(`${path}/${i}/skill`, `unknown skill "${r.skill}"`);
      if (seen.has(r.skill)) add(`${path}/${i}/skill`, `skill "${r.skill}" listed twice`);
      seen.add(r.skill);
      if (!Number.isInteger(r.minProficiency) || r.minProficiency < 1 || r.minProficiency > 5)
        add(`${path}/${i}/minProficiency`, `minimum proficiency must be 1 to 5, got ${r.minProficiency}`);
    });
  };

  const queues = new Set<string>();
  config.queues.forEach((q, i) => {
    if (!q.id) add(`/queues/${i}/id`, 'queue id is empty');
    else if (queues.has(q.id)) add(`/queues/${i}/id`, `duplicate queue id "${q.id}"`);
    queues.add(q.id);
  });
  config.queues.forEach((q, i) => {
    if (!Number.isInteger(q.defaultPriority))
      add(`/queues/${i}/defaultPriority`, 'priority must be an integer');
    checkRequirements(q.defaultSkills, `/queues/${i}/defaultSkills`);
    let lastAfter = 0;
    q.escalation.forEach((s, j) => {
      const path = `/queues/${i}/escalation/${j}`;
      if (!Number.isInteger(s.afterSeconds) || s.afterSeconds < 0)
        add(`${path}/afterSeconds`, 'must be a whole number of seconds, 0 or more');
      if (s.afterSeconds === 0 && !s.onSlaWarning && !s.onSlaBreach)
        add(path, 'step has no trigger: set afterSeconds, onSlaWarning or onSlaBreach');
      if (s.afterSeconds > 0 && s.afterSeconds < lastAfter)
        add(
          `${path}/afterSeconds`,
          `steps must be in waiting order (${s.afterSeconds} s after ${lastAfter} s)`,
        );
      if (s.afterSeconds > 0) lastAfter = s.afterSeconds;
      if (s.overflowQueueId && !queues.has(s.overflowQueueId))
        add(`${path}/overflowQueueId`, `unknown queue "${s.overflowQueueId}"`);
      if (s.overflowQueueId === q.id) add(`${path}/overflowQueueId`, 'a queue cannot overflow into itself');
      if (s.relaxMinProficiencyBy < 0 || s.relaxMinProficiencyBy > 4)
        add(`${path}/relaxMinProficiencyBy`, 'must be 0 to 4');
      if (
        !s.overflowQueueId &&
        !s.dropOptionalSkills &&
        s.raisePriorityBy === 0 &&
        s.relaxMinProficiencyBy === 0
      )
        add(path, 'step changes nothing');
    });
  });

  const rules = new Set<string>();
  config.rules.forEach((r, i) => {
    const path = `/rules/${i}`;
    if (!r.id) add(`${path}/id`, 'rule id is empty');
    else if (rules.has(r.id)) add(`${path}/id`, `duplicate rule id "${r.id}"`);
    rules.add(r.id);
    if (!queues.has(r.queueId)) add(`${path}/queueId`, `unknown queue "${r.queueId}"`);
    if (r.priority !== undefined && !Number.isInteger(r.priority))
      add(`${path}/priority`, 'must be an integer');
    checkRequirements(r.skills, `${path}/skills`);
    r.when.forEach((c, j) => {
      const cpath = `${path}/when/${j}`;
      if (!c.attribute) add(`${cpath}/attribute`, 'attribute is empty');
      if (!OPERATORS.has(c.operator)) add(`${cpath}/operator`, `unknown operator "${c.operator}"`);
      else if ((c.operator === 'equals' || c.operator === 'not_equals') && c.values.length !== 1)
        add(`${cpath}/values`, `${c.operator} needs exactly one value`);
      else if (c.operator === 'in' && c.values.length === 0)
        add(`${cpath}/values`, 'in needs at least one value');
      else if (c.operator === 'exists' && c.values.length > 0)
        add(`${cpath}/values`, 'exists takes no values');
    });
  });

  if (!config.defaultQueueId) add('/defaultQueueId', 'default queue is empty');
  else if (!queues.has(config.defaultQueueId))
    add('/defaultQueueId', `unknown queue "${config.defaultQueueId}"`);

  const o = config.offers;
  if (!Number.isInteger(o.offerTimeoutSeconds) || o.offerTimeoutSeconds < 1)
    add('/offers/offerTimeoutSeconds', 'offer timeout must be at least 1 second');
  if (!Number.isInteger(o.maxMissedOffers) || o.maxMissedOffers < 0)
    add('/offers/maxMissedOffers', 'must be a whole number, 0 or more');
  if (
    !Number.isInteger(o.preferredAgentWindowSeconds) ||
    o.preferredAgentWindowSeconds < 0 ||
    o.preferredAgentWindowSeconds > 86_400
  )
    add('/offers/preferredAgentWindowSeconds', 'must be a whole number of seconds from 0 to 86400');
  if (!Number.isInteger(o.defaultWrapUpSeconds) || o.defaultWrapUpSeconds < 0)
    add('/offers/defaultWrapUpSeconds', 'must be a whole number of seconds, 0 or more');
  return problems;
}
