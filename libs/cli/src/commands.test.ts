import fs from 'node:fs';
import path from 'node:path';
import {
  applyCommand,
  describeChanges,
  diffCommand,
  getCommand,
  validateCommand,
  validateConfigText,
} from './commands';
import type { AppliedConfig, ConfigStore } from './config-store';

const example = fs.readFileSync(path.join(__dirname, '../../../docs/examples/tenant-acme.yaml'), 'utf8');

/** The store contract in memory: what was published is what `current` returns. */
class MemoryStore implements ConfigStore {
  readonly published: { tenant: string; applied: AppliedConfig }[] = [];
  async current(tenant: string) {
    return this.published.filter((p) => p.tenant === tenant).at(-1)?.applied;
  }
  async publish(tenant: string, applied: AppliedConfig) {
    this.published.push({ tenant, applied });
  }
  async close() {}
}

describe('sb config', () => {
  it('accepts the documented example', () => {
    const result = validateConfigText(example);
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.file.tenant).toBe('acme');
      expect(result.file.config.queues.map((q) => q.id)).toEqual(['general', 'vip', 'billing']);
      expect(result.file.config.slaPolicies[0]?.match?.channels).toEqual([2, 1]);
    }
  });

  it('lists every schema problem with its JSON pointer and publishes nothing', async () => {
    const bad = `
tenant: acme
queues:
  - id: general
    defaultSkills: [{ skill: english, minProficiency: 9 }]
    colour: blue
rules:
  - id: r1
    queueId: general
    when: [{ attribute: channel, operator: like }]
slaPolicies:
  - id: p
    match: { channels: [fax] }
    targets: [{ kind: first_response, seconds: 0 }]
`;
    const store = new MemoryStore();
    const result = await applyCommand(bad, store, 'test');
    expect(result.exitCode).toBe(1);
    expect(store.published).toHaveLength(0);
    for (const expected of [
      '/defaultQueueId: is required',
      '/queues/0/colour: is not a known field',
      '/queues/0/defaultSkills/0/minProficiency',
      '/rules/0/when/0/operator: must be one of',
      '/slaPolicies/0/match/channels/0: must be one of',
      '/slaPolicies/0/targets/0/seconds',
    ]) {
      expect(result.output).toContain(expected);
    }
  });

  it('runs the routing and SLA validators: broken references and a bad time zone are listed', () => {
    const broken = example
      .replace('defaultQueueId: general', 'defaultQueueId: nowhere')
      .replace('{ skill: german, minProficiency: 3 }', '{ skill: klingon, minProficiency: 3 }')
      .replace('timeZone: Europe/Berlin', 'timeZone: Mars/Olympus');
    const result = validateCommand(broken);
    expect(result.exitCode).toBe(1);
    expect(result.output).toMatch(/\/defaultQueueId: .*nowhere/);
    expect(result.output).toMatch(/\/rules\/1\/skills\/0\/skill: .*klingon/);
    expect(result.output).toMatch(/\/calendars\/0\/timeZone: .*Mars\/Olympus/);
  });

  it('reports YAML syntax errors instead of throwing', () => {
    const result = validateCommand('tenant: [unclosed');
    expect(result.exitCode).toBe(1);
    expect(result.output).toContain('not valid YAML');
  });

  it('applies version 1, then only a changed file bumps the version', async () => {
    const store = new MemoryStore();
    expect((await applyCommand(example, store, 'alice')).output).toContain('applied version 1');
    expect((await applyCommand(example, store, 'alice')).output).toContain('unchanged at version 1');
    const changed = example.replace('offerTimeoutSeconds: 20', 'offerTimeoutSeconds: 25');
    const diff = await diffCommand(changed, store);
    expect(diff.output).toContain('~ /offers/offerTimeoutSeconds: 20 -> 25');
    expect((await applyCommand(changed, store, 'bob')).output).toContain('applied version 2');
    expect(store.published.map((p) => p.applied.version)).toEqual([1n, 2n]);
  });

  it('prints the configuration in force in the file format', async () => {
    const store = new MemoryStore();
    await applyCommand(example, store, 'alice');
    const got = await getCommand('acme', store, 'yaml');
    expect(got.exitCode).toBe(0);
    expect(got.output).toContain('# version 1, applied by alice');
    expect(got.output).toContain('kind: first_response');
    expect(got.output).toContain('operator: in');
    // what get prints validates and means the same configuration
    const again = validateConfigText(got.output);
    expect(again.ok).toBe(true);
    expect((await getCommand('other', store, 'json')).exitCode).toBe(1);
  });

  it('describes additions, removals and changes by path', () => {
    expect(describeChanges({ a: 1, b: [1] }, { a: 2, b: [1, 2], c: 'x' })).toEqual([
      '~ /a: 1 -> 2',
      '+ /b/1: 2',
      '+ /c: "x"',
    ]);
  });
});
