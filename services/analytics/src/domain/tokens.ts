import { AnalyticsError, AnalyticsErrorCode } from './errors';

/** A tenant's KpiService token, configured as the sha-256 hex digest of the token. */
export interface TokenEntry {
  tenantId: string;
  sha256Hex: string;
}

const LINE = /^([^:\s]+):([0-9a-f]{64})$/i;

/** Parses `tenant:sha256hex` entries (comma or newline separated, `#` comments), pure. */
export function parseTokenEntries(text: string): TokenEntry[] {
  const out: TokenEntry[] = [];
  for (const raw of text.split(/[,\n]/)) {
    const line = raw.replace(/#.*$/, '').trim();
    if (line === '') continue;
    const m = LINE.exec(line);
    if (!m) {
      throw new AnalyticsError(
        AnalyticsErrorCode.config,
        'a KpiService token entry is not tenant:<64 hex digits>',
      );
    }
    out.push({ tenantId: m[1]!, sha256Hex: m[2]!.toLowerCase() });
  }
  return out;
}
