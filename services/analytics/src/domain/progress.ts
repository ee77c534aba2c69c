/** One line of rebuild progress: bar, counts, events/s and ETA, pure. */
export function progressLine(done: number, total: number | null, elapsedMs: number, width = 30): string {
  const rate = elapsedMs > 0 ? (done * 1000) / elapsedMs : 0;
  const rateText = `${formatCount(rate)} events/s`;
  if (total === null || total <= 0) return `${formatCount(done)} events  ${rateText}`;
  const ratio = Math.min(1, done / total);
  const filled = Math.round(ratio * width);
  const remaining = Math.max(0, total - done);
  const eta = rate > 0 ? formatDuration((remaining / rate) * 1000) : '?';
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(ratio * 100).toFixed(1)}%  ${formatCount(done)}/${formatCount(total)} events  ${rateText}  ETA ${eta}`;
}

export function formatCount(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e4) return `${(n / 1e3).toFixed(1)}k`;
  return String(Math.round(n));
}

export function formatDuration(ms: number): string {
  const s = Math.ceil(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}
