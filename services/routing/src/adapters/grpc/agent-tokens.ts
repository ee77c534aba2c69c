import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from '@switchboard/config';

/**
 * Agent tokens look like `sbt_<tokenId>_<secret>`: the token id is public (it indexes the ring and
 * may be logged), the secret is 32 random bytes in base64url. Only the SHA-256 of the whole token is
 * configured. A token belongs to one tenant and may be restricted to one agent id.
 */
export const TOKEN_PREFIX = 'sbt_';
const TOKEN_ID = /^[A-Za-z0-9]{4,64}$/;

export interface AgentTokenEntry {
  id: string;
  tenantId: string;
  /** When set, the token acts only for this agent (an agent desktop); unset: any agent of the tenant (a supervisor tool). */
  agentId?: string | undefined;
  /** Lower-case hex SHA-256 of the whole token. */
  sha256: string;
}

/** Who is calling, once the token is verified. */
export interface AgentPrincipal {
  tokenId: string;
  tenantId: string;
  agentId: string | undefined;
}

const entrySchema = z
  .object({
    id: z.string().regex(TOKEN_ID, 'token id must be 4 to 64 letters or digits'),
    tenantId: z.string().min(1).max(200),
    agentId: z.string().min(1).max(200).optional(),
    sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex digits'),
  })
  .strict();

export class TokensFileError extends Error {
  readonly code = 'RTG_ERR_TOKENS_FILE';
  constructor(message: string) {
    super(message);
    this.name = 'TokensFileError';
  }
}

/** Parses the tokens document (a JSON list of entries); throws TokensFileError naming every problem. */
export function parseTokens(text: string, origin: string): AgentTokenEntry[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new TokensFileError(`${origin}: not JSON: ${(err as Error).message}`);
  }
  const result = z.array(entrySchema).safeParse(doc);
  if (!result.success)
    throw new TokensFileError(
      `${origin}: ${result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`,
    );
  return result.data;
}

export function loadTokens(source: {
  file?: string | undefined;
  inline?: string | undefined;
}): AgentTokenEntry[] {
  if (source.file) return parseTokens(readFileSync(source.file, 'utf8'), source.file);
  return parseTokens(source.inline ?? '[]', 'ROUTING_TOKENS');
}

export function sha256Hex(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A new random token and the entry that accepts it (for tools and tests). */
export function generateToken(entry: Omit<AgentTokenEntry, 'id' | 'sha256'>): {
  token: string;
  entry: AgentTokenEntry;
} {
  const id = randomBytes(8).toString('hex');
  const token = `${TOKEN_PREFIX}${id}_${randomBytes(32).toString('base64url')}`;
  return { token, entry: { id, ...entry, sha256: sha256Hex(token) } };
}

function tokenIdOf(token: string): string | undefined {
  if (!token.startsWith(TOKEN_PREFIX)) return undefined;
  const end = token.indexOf('_', TOKEN_PREFIX.length);
  if (end < 0 || end === token.length - 1) return undefined;
  const id = token.slice(TOKEN_PREFIX.length, end);
  return TOKEN_ID.test(id) ? id : undefined;
}

/** Verifies presented tokens against the configured hashes, in constant time for a given token id. */
export class TokenRing {
  private readonly byId = new Map<string, { principal: AgentPrincipal; hash: Buffer }>();
  // Compared against when the id is unknown, so that both paths hash and compare.
  private readonly decoy = Buffer.alloc(32);

  constructor(entries: readonly AgentTokenEntry[]) {
    for (const e of entries) {
      if (this.byId.has(e.id)) throw new TokensFileError(`duplicate token id ${e.id}`);
      this.byId.set(e.id, {
        principal: Object.freeze({ tokenId: e.id, tenantId: e.tenantId, agentId: e.agentId }),
        hash: Buffer.from(e.sha256, 'hex'),
      });
    }
  }

  verify(token: string): AgentPrincipal | undefined {
    const id = tokenIdOf(token);
    const entry = id === undefined ? undefined : this.byId.get(id);
    const actual = createHash('sha256').update(token, 'utf8').digest();
    const equal = timingSafeEqual(actual, entry?.hash ?? this.decoy);
    return equal && entry ? entry.principal : undefined;
  }
}
