import { formatDuration, progressLine } from './progress';

describe('progressLine', () => {
  it('shows bar, percentage, counts, rate and ETA', () => {
    expect(progressLine(50_000, 200_000, 1000, 10)).toBe(
      '[###-------] 25.0%  50.0k/200.0k events  50.0k events/s  ETA 3s',
    );
  });

  it('shows only count and rate when the total is unknown', () => {
    expect(progressLine(1500, null, 3000)).toBe('1500 events  500 events/s');
  });

  it('formats long durations', () => {
    expect(formatDuration(61_000)).toBe('1m01s');
    expect(formatDuration(3_720_000)).toBe('1h02m');
  });
});
