// Rewrites the configuration reference of docs/operations.md from the services' config schemas;
// `--check` fails when it is stale (the unit tests check the same).
import { readFileSync, writeFileSync } from 'node:fs';
import { withConfigurationReference } from '../src/operations-reference';
import { operationsDoc } from '../src/paths';

const current = readFileSync(operationsDoc, 'utf8');
const next = withConfigurationReference(current);
if (process.argv.includes('--check')) {
  if (next !== current) {
    console.error('docs/operations.md is stale: run pnpm --filter @switchboard/deploy-tests docs');
    process.exitCode = 1;
  }
} else if (next !== current) {
  writeFileSync(operationsDoc, next);
  console.log('docs/operations.md updated');
}
