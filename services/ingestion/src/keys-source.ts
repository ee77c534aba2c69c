import { type ApiKeyEntry, KeyRing } from './auth/api-key';
import { loadKeysFile, parseKeys } from './auth/keys-file';
import type { IngestionEnv } from './config';

/** The key ring from the configured file, or from the inline document (a Kubernetes Secret). */
export function loadKeyRing(
  env: Pick<IngestionEnv, 'INGESTION_API_KEYS_FILE' | 'INGESTION_API_KEYS'>,
): KeyRing {
  let entries: ApiKeyEntry[];
  if (env.INGESTION_API_KEYS_FILE !== undefined) entries = loadKeysFile(env.INGESTION_API_KEYS_FILE);
  else entries = parseKeys(env.INGESTION_API_KEYS ?? '[]', 'INGESTION_API_KEYS');
  return new KeyRing(entries);
}
