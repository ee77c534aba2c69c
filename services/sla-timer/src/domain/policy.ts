import {
  type BusinessCalendar as CalendarMessage,
  Channel,
  type SlaPolicy,
  SlaTarget,
  TargetKind,
  type TenantConfigApplied,
} from '@switchboard/contracts';
import { BusinessCalendar, isIsoDate, isValidTimeZone } from './calendar';

/** One target of a policy, ready for the clocks. */
export interface TargetRule {
  target: SlaTarget;
  seconds: number;
  /** Ascending, each in 1..99. */
  warnAtPercent: readonly number[];
}

export interface CompiledPolicy {
  id: string;
  minPriority: number | undefined;
  maxPriority: number | undefined;
  channels: ReadonlySet<Channel>;
  queueIds: ReadonlySet<string>;
  customerTiers: ReadonlySet<string>;
  targets: ReadonlyMap<SlaTarget, TargetRule>;
  calendarId: string;
  pauseWhilePending: boolean;
}

/** A tenant's SLA configuration as the clocks use it. */
export interface SlaConfig {
  version: bigint;
  /** The applied message as received (kept for snapshots). */
  source: TenantConfigApplied;
  policies: readonly CompiledPolicy[];
  calendars: ReadonlyMap<string, BusinessCalendar>;
  /** Canonical text per calendar id, to tell whether a new config changed its hours. */
  calendarFingerprints: ReadonlyMap<string, string>;
}

/** What a conversation looks like to policy matching. */
export interface MatchAttributes {
  priority: number;
  channel: Channel;
  queueId: string;
  customerTier: string;
}

/** A configuration problem, located by a JSON pointer into the tenant config (proto field names). */
export interface ConfigProblem {
  path: string;
  code: string;
  message: string;
}

/** Checks SLA policies and calendars and lists every problem (empty when valid). */
export function validateSlaConfig(
  policies: readonly SlaPolicy[],
  calendars: readonly CalendarMessage[],
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const add = (path: string, code: string, message: string) => problems.push({ path, code, message });
  const calendarIds = new Set<string>();
  calendars.forEach((c, i) => {
    const at = `/calendars/${i}`;
    if (!c.id) add(`${at}/id`, 'SLA_ERR_CALENDAR_ID_EMPTY', 'calendar id is empty');
    else if (calendarIds.has(c.id))
      add(`${at}/id`, 'SLA_ERR_CALENDAR_ID_DUPLICATE', `calendar id "${c.id}" is used twice`);
    calendarIds.add(c.id);
    if (!isValidTimeZone(c.timeZone))
      add(`${at}/time_zone`, 'SLA_ERR_TIME_ZONE_INVALID', `"${c.timeZone}" is not an IANA time zone`);
    if (c.weekly.length === 0)
      add(`${at}/weekly`, 'SLA_ERR_CALENDAR_NEVER_OPEN', 'a calendar needs opening periods');
    c.weekly.forEach((p, j) => {
      const pat = `${at}/weekly/${j}`;
      if (p.dayOfWeek < 1 || p.dayOfWeek > 7)
        add(
          `${pat}/day_of_week`,
          'SLA_ERR_DAY_OF_WEEK_INVALID',
          `day_of_week ${p.dayOfWeek} is not 1 (Monday) to 7 (Sunday)`,
        );
      if (p.endMinute > 1440)
        add(`${pat}/end_minute`, 'SLA_ERR_MINUTE_INVALID', `end_minute ${p.endMinute} is after 1440`);
      if (p.startMinute >= p.endMinute)
        add(
          `${pat}/start_minute`,
          'SLA_ERR_PERIOD_EMPTY',
          `start_minute ${p.startMinute} is not before end_minute ${p.endMinute}`,
        );
    });
    c.holidays.forEach((h, j) => {
      if (!isIsoDate(h))
        add(`${at}/holidays/${j}`, 'SLA_ERR_HOLIDAY_INVALID', `"${h}" is not a date YYYY-MM-DD`);
    });
  });
  const policyIds = new Set<string>();
  policies.forEach((p, i) => {
    const at = `/sla_policies/${i}`;
    if (!p.id) add(`${at}/id`, 'SLA_ERR_POLICY_ID_EMPTY', 'policy id is empty');
    else if (policyIds.has(p.id))
      add(`${at}/id`, 'SLA_ERR_POLICY_ID_DUPLICATE', `policy id "${p.id}" is used twice`);
    policyIds.add(p.id);
    if (p.calendarId && !calendarIds.has(p.calendarId))
      add(`${at}/calendar_id`, 'SLA_ERR_CALENDAR_UNKNOWN', `calendar "${p.calendarId}" is not defined`);
    const m = p.match;
    if (m?.minPriority !== undefined && m.maxPriority !== undefined && m.minPriority > m.maxPriority)
      add(
        `${at}/match/min_priority`,
        'SLA_ERR_PRIORITY_RANGE',
        `min_priority ${m.minPriority} is above max_priority ${m.maxPriority}`,
      );
    m?.channels.forEach((ch, j) => {
      if (ch === Channel.UNSPECIFIED || Channel[ch] === undefined)
        add(`${at}/match/channels/${j}`, 'SLA_ERR_CHANNEL_INVALID', `channel ${ch} is not a channel`);
    });
    if (p.targets.length === 0)
      add(`${at}/targets`, 'SLA_ERR_NO_TARGETS', 'a policy needs at least one target');
    const kinds = new Set<TargetKind>();
    p.targets.forEach((t, j) => {
      const tat = `${at}/targets/${j}`;
      if (t.kind === TargetKind.UNSPECIFIED || TargetKind[t.kind] === undefined)
        add(`${tat}/kind`, 'SLA_ERR_TARGET_KIND_INVALID', `target kind ${t.kind} is not a target`);
      else if (kinds.has(t.kind))
        add(
          `${tat}/kind`,
          'SLA_ERR_TARGET_DUPLICATE',
          `target ${TargetKind[t.kind]} appears twice in the policy`,
        );
      kinds.add(t.kind);
      if (t.seconds === 0) add(`${tat}/seconds`, 'SLA_ERR_TARGET_SECONDS', 'target seconds must be above 0');
      const seen = new Set<number>();
      t.warnAtPercent.forEach((w, k) => {
        if (w < 1 || w > 99)
          add(`${tat}/warn_at_percent/${k}`, 'SLA_ERR_WARN_PERCENT', `warning at ${w}% is not within 1..99`);
        else if (seen.has(w))
          add(`${tat}/warn_at_percent/${k}`, 'SLA_ERR_WARN_DUPLICATE', `warning at ${w}% appears twice`);
        seen.add(w);
      });
    });
  });
  return problems;
}

/** Compiles a validated configuration; returns the problems instead when it is invalid. */
export function compileSlaConfig(
  applied: TenantConfigApplied,
): { config: SlaConfig } | { problems: ConfigProblem[] } {
  const policies = applied.config?.slaPolicies ?? [];
  const calendars = applied.config?.calendars ?? [];
  const problems = validateSlaConfig(policies, calendars);
  if (problems.length > 0) return { problems };
  const calendarMap = new Map<string, BusinessCalendar>();
  const fingerprints = new Map<string, string>();
  for (const c of calendars) {
    calendarMap.set(c.id, new BusinessCalendar(c));
    fingerprints.set(
      c.id,
      JSON.stringify([
        c.timeZone,
        c.weekly.map((p) => [p.dayOfWeek, p.startMinute, p.endMinute]),
        c.holidays,
      ]),
    );
  }
  return {
    config: {
      version: applied.version,
      source: applied,
      calendars: calendarMap,
      calendarFingerprints: fingerprints,
      policies: policies.map((p) => ({
        id: p.id,
        minPriority: p.match?.minPriority,
        maxPriority: p.match?.maxPriority,
        channels: new Set(p.match?.channels ?? []),
        queueIds: new Set(p.match?.queueIds ?? []),
        customerTiers: new Set(p.match?.customerTiers ?? []),
        calendarId: p.calendarId,
        pauseWhilePending: p.pauseWhilePending,
        targets: new Map(
          p.targets.map((t) => [
            targetOfKind(t.kind),
            {
              target: targetOfKind(t.kind),
              seconds: t.seconds,
              warnAtPercent: [...t.warnAtPercent].sort((a, b) => a - b),
            },
          ]),
        ),
      })),
    },
  };
}

/** The first policy that matches, in configuration order. */
export function matchPolicy(config: SlaConfig | undefined, a: MatchAttributes): CompiledPolicy | undefined {
  if (!config) return undefined;
  return config.policies.find(
    (p) =>
      (p.minPriority === undefined || a.priority >= p.minPriority) &&
      (p.maxPriority === undefined || a.priority <= p.maxPriority) &&
      (p.channels.size === 0 || p.channels.has(a.channel)) &&
      (p.queueIds.size === 0 || p.queueIds.has(a.queueId)) &&
      (p.customerTiers.size === 0 || p.customerTiers.has(a.customerTier)),
  );
}

function targetOfKind(kind: TargetKind): SlaTarget {
  switch (kind) {
    case TargetKind.FIRST_RESPONSE:
      return SlaTarget.FIRST_RESPONSE;
    case TargetKind.NEXT_RESPONSE:
      return SlaTarget.NEXT_RESPONSE;
    case TargetKind.RESOLUTION:
      return SlaTarget.RESOLUTION;
    case TargetKind.TIME_TO_ASSIGNMENT:
      return SlaTarget.TIME_TO_ASSIGNMENT;
    default:
      return SlaTarget.UNSPECIFIED;
  }
}
