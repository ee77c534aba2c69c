import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { AllowedChannels } from '../domain/channel-policy';
import type { ChannelName } from '../domain/events';

/**
 * API keys look like `sb_<keyId>_<secret>`: the key id is public (it indexes the key ring and may be
 * logged), the secret is 32 random bytes in base64url. Only the SHA-256 of the whole key is stored.
 */
export const KEY_PREFIX = 'sb_';
const KEY_ID = /^[A-Za-z0-9]{4,64}$/;

export interface RateLimit {
  /** Requests allowed per window. */
  max: number;
  windowMs: number;
}

/** One configured key, as it appears in the keys file. */
export interface ApiKeyEntry {
  id: string;
  name: string;
  tenantId: string;
  channels: readonly (ChannelName | '*')[];
  /** Lower-case hex SHA-256 of the whole key string. */
  sha256: string;
  rateLimit?: RateLimit;
}

/** Who is calling, once the key is verified. */
export interface Principal {
  keyId: string;
  name: string;
  tenantId: string;
  channels: AllowedChannels;
  rateLimit?: RateLimit;
}

export function sha256Hex(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** The public key id of a well-formed key, undefined otherwise. */
export function keyIdOf(key: string): string | undefined {
  if (!key.startsWith(KEY_PREFIX)) return undefined;
  const end = key.indexOf('_', KEY_PREFIX.length);
  if (end < 0 || end === key.length - 1) return undefined;
  const id = key.slice(KEY_PREFIX.length, end);
  return KEY_ID.test(id) ? id : undefined;
}

export function isValidKeyId(id: string): boolean {
  return KEY_ID.test(id);
}

/** A new random key and the entry that accepts it. */
export function generateKey(entry: Omit<ApiKeyEntry, 'id' | 'sha256'>): { key: string; entry: ApiKeyEntry } {
  const id = randomBytes(8).toString('hex');
  const key = `${KEY_PREFIX}${id}_${randomBytes(32).toString('base64url')}`;
  return { key, entry: { id, ...entry, sha256: sha256Hex(key) } };
}

interface RingEntry {
  principal: Principal;
  hash: Buffer;
}

/** Verifies presented keys against the configured hashes, in constant time for a given key id. */
export class KeyRing {
  private readonly byId = new Map<string, RingEntry>();
  // Compared against when the key id is unknown, so that both paths hash and compare.
  private readonly decoy = Buffer.alloc(32);

  constructor(entries: readonly ApiKeyEntry[]) {
    for (const entry of entries) {
      if (this.byId.has(entry.id)) throw new Error(`duplicate API key id ${entry.id}`);
      this.byId.set(entry.id, {
        principal: Object.freeze({
          keyId: entry.id,
          name: entry.name,
          tenantId: entry.tenantId,
          channels: new Set(entry.channels),
          rateLimit: entry.rateLimit,
        }),
        hash: Buffer.from(entry.sha256, 'hex'),
      });
    }
  }

  get size(): number {
    return this.byId.size;
  }

  /** The principal of a valid key, undefined for anything else. */
  authenticate(presented: string): Principal | undefined {
    const id = keyIdOf(presented);
    const entry = id === undefined ? undefined : this.byId.get(id);
    const actual = createHash('sha256').update(presented, 'utf8').digest();
    const expected = entry?.hash ?? this.decoy;
    const equal = timingSafeEqual(actual, expected);
    return equal && entry !== undefined ? entry.principal : undefined;
  }

  /** The presented key from an `Authorization: Bearer <key>` header. */
  static bearer(header: string | undefined): string | undefined {
    if (header === undefined) return undefined;
    const match = /^Bearer +(\S+) *$/i.exec(header);
    return match?.[1];
  }
}
