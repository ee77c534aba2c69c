import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { CHANNELS } from '../domain/events';
import { type ApiKeyEntry, isValidKeyId } from './api-key';

const entrySchema = z
  .object({
    id: z.string().refine(isValidKeyId, 'key id must be 4 to 64 letters or digits'),
    name: z.string().min(1).max(200),
    tenantId: z.string().min(1).max(200),
    channels: z.array(z.enum([...CHANNELS, '*'])).min(1),
    sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex digits'),
    rateLimit: z.object({ max: z.int().positive(), windowMs: z.int().positive() }).strict().optional(),
  })
  .strict();

const fileSchema = z.array(entrySchema).superRefine((entries, ctx) => {
  const seen = new Set<string>();
  entries.forEach((entry, index) => {
    if (seen.has(entry.id))
      ctx.addIssue({ code: 'custom', path: [index, 'id'], message: `duplicate id ${entry.id}` });
    seen.add(entry.id);
  });
});

export class KeysFileError extends Error {
  readonly code = 'ING_ERR_KEYS_FILE';
  constructor(message: string) {
    super(message);
    this.name = 'KeysFileError';
  }
}

/** Parses the keys document (YAML or JSON: a list of entries); throws KeysFileError naming every problem. */
export function parseKeys(text: string, origin: string): ApiKeyEntry[] {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    throw new KeysFileError(`${origin}: not YAML or JSON: ${(err as Error).message}`);
  }
  const result = fileSchema.safeParse(doc);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new KeysFileError(`${origin}: invalid keys: ${problems.join('; ')}`);
  }
  return result.data;
}

export function loadKeysFile(path: string): ApiKeyEntry[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new KeysFileError(`cannot read keys file ${path}: ${(err as Error).message}`);
  }
  return parseKeys(text, path);
}
