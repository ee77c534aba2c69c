import fc from 'fast-check';
import { BusinessCalendar, isIsoDate, isValidTimeZone } from './calendar';

const H = 3_600_000;
const weekdays = (start: number, end: number) =>
  [1, 2, 3, 4, 5].map((dayOfWeek) => ({ dayOfWeek, startMinute: start, endMinute: end }));

describe('BusinessCalendar', () => {
  const berlin = new BusinessCalendar({
    id: 'berlin',
    timeZone: 'Europe/Berlin',
    weekly: [...weekdays(9 * 60, 12 * 60), ...weekdays(13 * 60, 17 * 60)],
    holidays: ['2026-12-25'],
  });

  it('given Friday afternoon, when 2 business hours are added, then the deadline is Monday morning', () => {
    // Fri 2026-11-20 16:00 Berlin (CET, UTC+1) = 15:00Z; 1 h left Friday, 1 h on Monday from 09:00.
    const due = berlin.addBusiness(Date.UTC(2026, 10, 20, 15), 2 * H);
    expect(new Date(due).toISOString()).toBe('2026-11-23T09:00:00.000Z'); // Mon 10:00 CET
  });

  it('given a lunch break, when time is added across it, then the break does not count', () => {
    const due = berlin.addBusiness(Date.UTC(2026, 10, 23, 10), 2 * H); // Mon 11:00 CET
    expect(new Date(due).toISOString()).toBe('2026-11-23T13:00:00.000Z'); // 14:00 CET
    expect(berlin.businessBetween(Date.UTC(2026, 10, 23, 10), due)).toBe(2 * H);
  });

  it('given the spring daylight-saving change, when counting across the weekend, then Monday opens at 09:00 summer time', () => {
    // Fri 2026-03-27 16:00 CET = 15:00Z; clocks go forward on Sun 2026-03-29; Mon 09:00 CEST = 07:00Z.
    const due = berlin.addBusiness(Date.UTC(2026, 2, 27, 15), 2 * H);
    expect(new Date(due).toISOString()).toBe('2026-03-30T08:00:00.000Z'); // Mon 10:00 CEST
  });

  it('given a round-the-clock calendar, when a day is added across the spring change, then the local day has 23 hours', () => {
    const always = new BusinessCalendar({
      id: 'always',
      timeZone: 'Europe/Berlin',
      weekly: [1, 2, 3, 4, 5, 6, 7].map((dayOfWeek) => ({ dayOfWeek, startMinute: 0, endMinute: 1440 })),
      holidays: [],
    });
    const satNoon = Date.UTC(2026, 2, 28, 11); // Sat 12:00 CET
    expect(always.addBusiness(satNoon, 24 * H)).toBe(satNoon + 24 * H); // elapsed time, not wall time
    expect(always.businessBetween(Date.UTC(2026, 2, 28, 23), Date.UTC(2026, 2, 29, 22))).toBe(23 * H); // Sunday
    expect(always.businessBetween(Date.UTC(2026, 9, 24, 22), Date.UTC(2026, 9, 25, 23))).toBe(25 * H); // autumn
  });

  it('given a holiday, when counting through it, then the whole day is closed', () => {
    // Thu 2026-12-24 16:00 CET; Fri 25th is a holiday; next opening Mon 28th 09:00 CET.
    const due = berlin.addBusiness(Date.UTC(2026, 11, 24, 15), 2 * H);
    expect(new Date(due).toISOString()).toBe('2026-12-28T09:00:00.000Z');
    expect(berlin.isOpen(Date.UTC(2026, 11, 25, 10))).toBe(false);
  });

  it('given two zones, when the same instant is checked, then opening follows each local time', () => {
    const tokyo = new BusinessCalendar({
      id: 't',
      timeZone: 'Asia/Tokyo',
      weekly: weekdays(540, 1020),
      holidays: [],
    });
    const ny = new BusinessCalendar({
      id: 'n',
      timeZone: 'America/New_York',
      weekly: weekdays(540, 1020),
      holidays: [],
    });
    const instant = Date.UTC(2026, 10, 24, 2); // Tue 11:00 Tokyo, Mon 21:00 New York
    expect(tokyo.isOpen(instant)).toBe(true);
    expect(ny.isOpen(instant)).toBe(false);
    expect(new Date(ny.addBusiness(instant, H)).toISOString()).toBe('2026-11-24T15:00:00.000Z'); // Tue 10:00 EST
  });

  it('given a start outside hours, when nothing is added, then the deadline is the next opening', () => {
    expect(new Date(berlin.addBusiness(Date.UTC(2026, 10, 21, 12), 0)).toISOString()).toBe(
      '2026-11-23T08:00:00.000Z',
    );
  });

  it('addBusiness and businessBetween are inverse for any start and duration', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2027, 0, 1) }),
        fc.integer({ min: 0, max: 200 * H }),
        (start, dur) => {
          const due = berlin.addBusiness(start, dur);
          expect(due).toBeGreaterThanOrEqual(start + dur);
          expect(berlin.businessBetween(start, due)).toBe(dur);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('validates zones and ISO dates', () => {
    expect(isValidTimeZone('Europe/Berlin')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
    expect(isIsoDate('2026-02-28')).toBe(true);
    expect(isIsoDate('2026-02-30')).toBe(false);
    expect(isIsoDate('26-2-1')).toBe(false);
  });
});
