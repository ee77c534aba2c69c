import { AnalyticsError, AnalyticsErrorCode } from './errors';

/** The read models keep KPIs per 15 minutes; longer intervals are whole multiples of it. */
export const KPI_INTERVAL_MINUTES = 15;
const MAX_BUCKETS = 10_000;

export interface KpiQuery {
  tenantId: string;
  /** null for every queue. */
  queue: string | null;
  /** Channel name as stored (`chat`), null for every channel. */
  channel: string | null;
  fromMs: number;
  toMs: number;
  intervalMinutes: number;
}

/** Validates a KPI query: a non-empty range, an interval that is a multiple of 15 minutes (0 means 15). */
export function normaliseKpiQuery(q: KpiQuery): KpiQuery {
  const intervalMinutes = q.intervalMinutes === 0 ? KPI_INTERVAL_MINUTES : q.intervalMinutes;
  if (intervalMinutes % KPI_INTERVAL_MINUTES !== 0) {
    throw new AnalyticsError(
      AnalyticsErrorCode.invalidQuery,
      `interval_minutes ${q.intervalMinutes} is not a multiple of 15`,
    );
  }
  if (!(q.toMs > q.fromMs))
    throw new AnalyticsError(AnalyticsErrorCode.invalidQuery, '`to` must be after `from`');
  if ((q.toMs - q.fromMs) / (intervalMinutes * 60_000) > MAX_BUCKETS) {
    throw new AnalyticsError(
      AnalyticsErrorCode.invalidQuery,
      `range holds more than ${MAX_BUCKETS} intervals`,
    );
  }
  return { ...q, intervalMinutes };
}
