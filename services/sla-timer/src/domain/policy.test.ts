import { create } from '@bufbuild/protobuf';
import {
  BusinessCalendarSchema,
  Channel,
  OpeningPeriodSchema,
  SlaMatchSchema,
  SlaPolicySchema,
  SlaTargetSpecSchema,
  TargetKind,
} from '@switchboard/contracts';
import { configApplied } from '../../test/support/scenario';
import { compileSlaConfig, matchPolicy, validateSlaConfig } from './policy';

describe('validateSlaConfig', () => {
  it('given a valid config, when validated, then there is no problem', () => {
    const policies = [
      create(SlaPolicySchema, {
        id: 'p',
        calendarId: 'cal',
        targets: [
          create(SlaTargetSpecSchema, {
            kind: TargetKind.FIRST_RESPONSE,
            seconds: 60,
            warnAtPercent: [90, 75],
          }),
        ],
      }),
    ];
    const calendars = [
      create(BusinessCalendarSchema, {
        id: 'cal',
        timeZone: 'America/New_York',
        weekly: [create(OpeningPeriodSchema, { dayOfWeek: 1, startMinute: 0, endMinute: 1440 })],
        holidays: ['2026-07-04'],
      }),
    ];
    expect(validateSlaConfig(policies, calendars)).toEqual([]);
  });

  it('given a config with many mistakes, when validated, then every problem is listed with its JSON pointer', () => {
    const policies = [
      create(SlaPolicySchema, {
        id: 'dup',
        calendarId: 'nowhere',
        match: create(SlaMatchSchema, { minPriority: 5, maxPriority: 1, channels: [Channel.UNSPECIFIED] }),
        targets: [
          create(SlaTargetSpecSchema, {
            kind: TargetKind.RESOLUTION,
            seconds: 0,
            warnAtPercent: [0, 100, 50, 50],
          }),
          create(SlaTargetSpecSchema, { kind: TargetKind.RESOLUTION, seconds: 10 }),
          create(SlaTargetSpecSchema, { kind: TargetKind.UNSPECIFIED, seconds: 10 }),
        ],
      }),
      create(SlaPolicySchema, { id: 'dup' }),
      create(SlaPolicySchema, {
        id: '',
        targets: [create(SlaTargetSpecSchema, { kind: TargetKind.FIRST_RESPONSE, seconds: 1 })],
      }),
    ];
    const calendars = [
      create(BusinessCalendarSchema, {
        id: 'c',
        timeZone: 'Europe/Atlantis',
        weekly: [
          create(OpeningPeriodSchema, { dayOfWeek: 8, startMinute: 600, endMinute: 500 }),
          create(OpeningPeriodSchema, { dayOfWeek: 1, startMinute: 0, endMinute: 1500 }),
        ],
        holidays: ['2026-13-01'],
      }),
      create(BusinessCalendarSchema, { id: 'c', timeZone: 'UTC' }),
    ];
    expect(validateSlaConfig(policies, calendars).map((p) => `${p.path} ${p.code}`)).toEqual([
      '/calendars/0/time_zone SLA_ERR_TIME_ZONE_INVALID',
      '/calendars/0/weekly/0/day_of_week SLA_ERR_DAY_OF_WEEK_INVALID',
      '/calendars/0/weekly/0/start_minute SLA_ERR_PERIOD_EMPTY',
      '/calendars/0/weekly/1/end_minute SLA_ERR_MINUTE_INVALID',
      '/calendars/0/holidays/0 SLA_ERR_HOLIDAY_INVALID',
      '/calendars/1/id SLA_ERR_CALENDAR_ID_DUPLICATE',
      '/calendars/1/weekly SLA_ERR_CALENDAR_NEVER_OPEN',
      '/sla_policies/0/calendar_id SLA_ERR_CALENDAR_UNKNOWN',
      '/sla_policies/0/match/min_priority SLA_ERR_PRIORITY_RANGE',
      '/sla_policies/0/match/channels/0 SLA_ERR_CHANNEL_INVALID',
      '/sla_policies/0/targets/0/seconds SLA_ERR_TARGET_SECONDS',
      '/sla_policies/0/targets/0/warn_at_percent/0 SLA_ERR_WARN_PERCENT',
      '/sla_policies/0/targets/0/warn_at_percent/1 SLA_ERR_WARN_PERCENT',
      '/sla_policies/0/targets/0/warn_at_percent/3 SLA_ERR_WARN_DUPLICATE',
      '/sla_policies/0/targets/1/kind SLA_ERR_TARGET_DUPLICATE',
      '/sla_policies/0/targets/2/kind SLA_ERR_TARGET_KIND_INVALID',
      '/sla_policies/1/id SLA_ERR_POLICY_ID_DUPLICATE',
      '/sla_policies/1/targets SLA_ERR_NO_TARGETS',
      '/sla_policies/2/id SLA_ERR_POLICY_ID_EMPTY',
    ]);
  });
});

describe('matchPolicy', () => {
  const applied = configApplied(1, [
    {
      id: 'gold-voice',
      match: create(SlaMatchSchema, { channels: [Channel.VOICE], customerTiers: ['gold'] }),
      targets: [create(SlaTargetSpecSchema, { kind: TargetKind.RESOLUTION, seconds: 1 })],
    },
    {
      id: 'urgent',
      match: create(SlaMatchSchema, { minPriority: 8, maxPriority: 9 }),
      targets: [create(SlaTargetSpecSchema, { kind: TargetKind.RESOLUTION, seconds: 1 })],
    },
    {
      id: 'vip-queue',
      match: create(SlaMatchSchema, { queueIds: ['vip'] }),
      targets: [create(SlaTargetSpecSchema, { kind: TargetKind.RESOLUTION, seconds: 1 })],
    },
  ]);
  const compiled = compileSlaConfig(
    applied.case === 'tenantConfigApplied' ? applied.value : (undefined as never),
  );
  const config = 'config' in compiled ? compiled.config : undefined;
  const base = { priority: 0, channel: Channel.CHAT, queueId: '', customerTier: '' };

  it('given ordered policies, when attributes are matched, then the first policy whose every condition holds wins', () => {
    expect(
      matchPolicy(config, { ...base, channel: Channel.VOICE, customerTier: 'gold', priority: 9 })?.id,
    ).toBe('gold-voice');
    expect(matchPolicy(config, { ...base, channel: Channel.VOICE, priority: 9 })?.id).toBe('urgent');
    expect(matchPolicy(config, { ...base, priority: 10, queueId: 'vip' })?.id).toBe('vip-queue');
    expect(matchPolicy(config, { ...base, priority: 7 })).toBeUndefined();
    expect(matchPolicy(undefined, base)).toBeUndefined();
  });
});
