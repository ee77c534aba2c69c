import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { requireEnv, uniqueName } from '@switchboard/testkit';
import { applyCommand, getCommand, openKafkaConfigStore } from '../src';

const run = promisify(execFile);
const example = fs.readFileSync(path.join(__dirname, '../../../docs/examples/tenant-acme.yaml'), 'utf8');

describe('tenant config on the real config topic', () => {
  const connection = () => ({ brokers: requireEnv('KAFKA_BROKERS').split(','), clientId: 'cli-test' });

  it('publishes versions that a fresh reader gets back, per tenant', async () => {
    const topic = uniqueName('test.cli.config');
    const store = await openKafkaConfigStore(connection(), { topic, partitions: 3 });
    try {
      expect((await applyCommand(example, store, 'alice')).output).toContain('applied version 1');
      const other = example.replace('tenant: acme', 'tenant: globex');
      expect((await applyCommand(other, store, 'bob')).output).toContain('tenant globex: applied version 1');
      const changed = example.replace('maxMissedOffers: 3', 'maxMissedOffers: 5');
      expect((await applyCommand(changed, store, 'carol')).output).toContain('applied version 2');
    } finally {
      await store.close();
    }
    const reader = await openKafkaConfigStore(connection(), { topic, partitions: 3 });
    try {
      const current = await reader.current('acme');
      expect(current?.version).toBe(2n);
      expect(current?.appliedBy).toBe('carol');
      expect(current?.config.offers?.maxMissedOffers).toBe(5);
      expect((await getCommand('globex', reader, 'yaml')).output).toContain('# version 1, applied by bob');
      expect(await reader.current('initech')).toBeUndefined();
    } finally {
      await reader.close();
    }
  });

  it('the sb binary rejects an invalid file with every problem without contacting Kafka', async () => {
    const file = path.join(fs.mkdtempSync('/tmp/sb-cli-'), 'bad.yaml');
    fs.writeFileSync(file, 'tenant: acme\nqueues: []\n');
    const main = path.join(__dirname, '../src/main.ts');
    const err = await run(
      process.execPath,
      ['--conditions=@switchboard/source', '--import', 'tsx', main, 'config', 'apply', '-f', file],
      {
        // a closed port: the file must be rejected before any connection is tried
        env: { ...process.env, KAFKA_BROKERS: '127.0.0.1:1' },
      },
    ).catch((e: { code: number; stdout: string }) => e);
    expect((err as { code: number }).code).toBe(1);
    expect((err as { stdout: string }).stdout).toContain('/defaultQueueId: is required');
    expect((err as { stdout: string }).stdout).toContain('/queues: must NOT have fewer than 1 items');
  });
});
