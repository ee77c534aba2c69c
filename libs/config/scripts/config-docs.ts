// Rewrites the generated block of docs/config.md from the fragments; `--check` fails when it is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withSharedReference } from '../src/reference';

const file = join(__dirname, '../../../docs/config.md');
const current = readFileSync(file, 'utf8');
const next = withSharedReference(current);
if (process.argv.includes('--check')) {
  if (next !== current) {
    console.error('docs/config.md is stale: run pnpm --filter @switchboard/config docs');
    process.exitCode = 1;
  }
} else if (next !== current) {
  writeFileSync(file, next);
  console.log('docs/config.md updated');
}
