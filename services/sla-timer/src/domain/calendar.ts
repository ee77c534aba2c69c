import { DateTime, IANAZone } from 'luxon';

/** Business hours as the tenant configures them (mirrors switchboard.config.v1.BusinessCalendar). */
export interface CalendarSpec {
  id: string;
  timeZone: string;
  weekly: readonly { dayOfWeek: number; startMinute: number; endMinute: number }[];
  holidays: readonly string[];
}

/** How far ahead a deadline is searched before giving up (a calendar closed for years). */
const MAX_SEARCH_DAYS = 366 * 5;
/** A deadline that never comes; far enough for any real clock, still a valid protobuf Timestamp. */
export const NEVER_MS = Date.UTC(9999, 0, 1);
const DAY_CACHE_LIMIT = 4096;

/**
 * Business-time arithmetic in a calendar's IANA zone: opening periods are local wall-clock times, so a
 * day with a daylight-saving change is an hour shorter or longer. Pure (memoises day boundaries only).
 */
export class BusinessCalendar {
  readonly id: string;
  private readonly zone: string;
  /** Merged [start, end) minute ranges per ISO weekday (index 1..7). */
  private readonly weekly: [number, number][][];
  private readonly holidays: ReadonlySet<string>;
  private readonly days = new Map<number, readonly number[]>();

  constructor(spec: CalendarSpec) {
    this.id = spec.id;
    this.zone = spec.timeZone;
    this.holidays = new Set(spec.holidays);
    this.weekly = Array.from({ length: 8 }, () => []);
    for (let d = 1; d <= 7; d++) {
      const ranges = spec.weekly
        .filter((p) => p.dayOfWeek === d && p.endMinute > p.startMinute)
        .map((p): [number, number] => [p.startMinute, Math.min(p.endMinute, 1440)])
        .sort((a, b) => a[0] - b[0]);
      const merged: [number, number][] = [];
      for (const r of ranges) {
        const last = merged[merged.length - 1];
        if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
        else merged.push([r[0], r[1]]);
      }
      this.weekly[d] = merged;
    }
  }

  /** Business milliseconds in [fromMs, toMs). */
  businessBetween(fromMs: number, toMs: number): number {
    if (toMs <= fromMs) return 0;
    let total = 0;
    const lastDay = this.localDay(toMs);
    for (let day = this.localDay(fromMs); day <= lastDay; day++) {
      const iv = this.intervals(day);
      for (let i = 0; i < iv.length; i += 2) {
        const a = Math.max(iv[i]!, fromMs);
        const b = Math.min(iv[i + 1]!, toMs);
        if (b > a) total += b - a;
      }
    }
    return total;
  }

  /** The first instant at which `durationMs` business milliseconds have passed since `startMs`. */
  addBusiness(startMs: number, durationMs: number): number {
    let remaining = Math.max(0, durationMs);
    const first = this.localDay(startMs);
    for (let day = first; day < first + MAX_SEARCH_DAYS; day++) {
      const iv = this.intervals(day);
      for (let i = 0; i < iv.length; i += 2) {
        const end = iv[i + 1]!;
        if (end <= startMs) continue;
        const from = Math.max(iv[i]!, startMs);
        if (from + remaining <= end) return from + remaining;
        remaining -= end - from;
      }
    }
    return NEVER_MS;
  }

  /** Whether the calendar is open at an instant. */
  isOpen(ms: number): boolean {
    const iv = this.intervals(this.localDay(ms));
    for (let i = 0; i < iv.length; i += 2) if (ms >= iv[i]! && ms < iv[i + 1]!) return true;
    return false;
  }

  /** Days since 1970-01-01 of the local date at an instant. */
  private localDay(ms: number): number {
    const t = DateTime.fromMillis(ms, { zone: this.zone });
    return daysFromCivil(t.year, t.month, t.day);
  }

  /** Opening intervals of a local day as flat [start, end, ...] epoch ms. */
  private intervals(day: number): readonly number[] {
    const cached = this.days.get(day);
    if (cached) return cached;
    const { y, m, d } = civilFromDays(day);
    const weekday = ((((day + 3) % 7) + 7) % 7) + 1; // 1970-01-01 was a Thursday (ISO 4)
    const out: number[] = [];
    if (!this.holidays.has(isoDate(y, m, d))) {
      for (const [s, e] of this.weekly[weekday]!) {
        const start = this.wallToMs(day, s);
        const end = this.wallToMs(day, e);
        if (end > start) out.push(start, end);
      }
    }
    if (this.days.size >= DAY_CACHE_LIMIT) this.days.clear();
    this.days.set(day, out);
    return out;
  }

  /** Local wall time (day, minute of day) to epoch ms; a time inside a spring-forward gap moves forward. */
  private wallToMs(day: number, minute: number): number {
    const { y, m, d } = civilFromDays(minute >= 1440 ? day + 1 : day);
    const min = minute % 1440;
    return DateTime.fromObject(
      { year: y, month: m, day: d, hour: Math.floor(min / 60), minute: min % 60 },
      { zone: this.zone },
    ).toMillis();
  }
}

export function isValidTimeZone(zone: string): boolean {
  return zone.length > 0 && IANAZone.isValidZone(zone);
}

/** Whether a string is a real calendar date written YYYY-MM-DD. */
export function isIsoDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const { y, m: mo, d } = civilFromDays(daysFromCivil(Number(m[1]), Number(m[2]), Number(m[3])));
  return y === Number(m[1]) && mo === Number(m[2]) && d === Number(m[3]);
}

function isoDate(y: number, m: number, d: number): string {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

// Proleptic Gregorian day numbers (Howard Hinnant's civil calendar algorithms).
function daysFromCivil(y0: number, m: number, d: number): number {
  const y = m <= 2 ? y0 - 1 : y0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function civilFromDays(z0: number): { y: number; m: number; d: number } {
  const z = z0 + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp + (mp < 10 ? 3 : -9);
  return { y: yoe + era * 400 + (m <= 2 ? 1 : 0), m, d };
}
