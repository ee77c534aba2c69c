import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { type ApiKeyEntry, generateKey } from '../auth/api-key';
import { parseKeys } from '../auth/keys-file';

/**
 * Generates an API key and the keys-file entry that accepts it:
 *   pnpm --filter @switchboard/ingestion hash-key --name acme-chat --tenant acme --channels chat,sms [--rate-limit 500/1s]
 * The key is printed once; only its SHA-256 goes into the keys file.
 */
const USAGE =
  'usage: hash-key --name <key name> --tenant <tenant id> --channels <chat,sms,...|*> [--rate-limit <max>/<seconds>s]';

function main(argv: string[]): number {
  const { values } = parseArgs({
    args: argv,
    options: {
      name: { type: 'string' },
      tenant: { type: 'string' },
      channels: { type: 'string' },
      'rate-limit': { type: 'string' },
    },
  });
  if (!values.name || !values.tenant || !values.channels) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const spec: Omit<ApiKeyEntry, 'id' | 'sha256'> = {
    name: values.name,
    tenantId: values.tenant,
    channels: values.channels.split(',').map((c) => c.trim()) as ApiKeyEntry['channels'],
  };
  const limit = values['rate-limit'];
  if (limit !== undefined) {
    const match = /^(\d+)\/(\d+)s$/.exec(limit);
    if (!match) {
      process.stderr.write(`--rate-limit must look like 500/1s\n${USAGE}\n`);
      return 2;
    }
    spec.rateLimit = { max: Number(match[1]), windowMs: Number(match[2]) * 1000 };
  }
  const { key, entry } = generateKey(spec);
  // Validate the entry exactly as the service will load it.
  const yaml = stringify([entry]);
  try {
    parseKeys(yaml, 'generated entry');
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    return 2;
  }
  process.stdout.write(
    `# API key for ${entry.name} (tenant ${entry.tenantId}); give it to the adapter, it is not stored anywhere:\n` +
      `${key}\n# Append this entry to the keys file:\n${yaml}`,
  );
  return 0;
}

process.exitCode = main(process.argv.slice(2));
