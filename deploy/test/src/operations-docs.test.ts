import { readFileSync } from 'node:fs';
import { describeConfig } from '@switchboard/config';
import { withConfigurationReference } from './operations-reference';
import { operationsDoc } from './paths';
import { serviceSchemas, services } from './service-config';

describe('docs/operations.md', () => {
  const doc = readFileSync(operationsDoc, 'utf8');

  it('carries the configuration reference generated from the config schemas (pnpm --filter @switchboard/deploy-tests docs)', () => {
    expect(withConfigurationReference(doc)).toBe(doc);
  });

  it.each(services)('names every variable %s reads', (service) => {
    for (const v of describeConfig(serviceSchemas[service])) expect(doc).toContain(`\`${v.name}\``);
  });
});
