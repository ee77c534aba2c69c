import { createHash } from 'node:crypto';
import type { TokenEntry } from '../../domain/tokens';

export interface TenantPrincipal {
  tenantId: string;
}

/**
 * Resolves a bearer token to its tenant. Only digests are kept; looking a token up by its own
 * sha-256 digest reveals nothing through timing that an attacker does not already know.
 */
export function tokenVerifier(
  entries: readonly TokenEntry[],
): (token: string) => TenantPrincipal | undefined {
  const byDigest = new Map(entries.map((e) => [e.sha256Hex, e.tenantId]));
  return (token) => {
    const tenantId = byDigest.get(createHash('sha256').update(token).digest('hex'));
    return tenantId === undefined ? undefined : { tenantId };
  };
}
