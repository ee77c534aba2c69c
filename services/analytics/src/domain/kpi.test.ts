import { normaliseKpiQuery } from './kpi';

const base = { tenantId: 't1', queue: null, channel: null, fromMs: 0, toMs: 3_600_000, intervalMinutes: 0 };

describe('normaliseKpiQuery', () => {
  it('reads interval 0 as 15 minutes and keeps multiples of 15', () => {
    expect(normaliseKpiQuery(base).intervalMinutes).toBe(15);
    expect(normaliseKpiQuery({ ...base, intervalMinutes: 60 }).intervalMinutes).toBe(60);
  });

  it('rejects intervals that are not multiples of 15, empty ranges and huge ones', () => {
    expect(() => normaliseKpiQuery({ ...base, intervalMinutes: 20 })).toThrow(/multiple of 15/);
    expect(() => normaliseKpiQuery({ ...base, toMs: 0 })).toThrow(/after/);
    expect(() => normaliseKpiQuery({ ...base, toMs: 15 * 60_000 * 10_001 })).toThrow(/more than/);
  });
});
