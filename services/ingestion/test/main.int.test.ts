import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Topics } from '@switchboard/contracts';
import { type ConsumedEnvelope, createKafka } from '@switchboard/kafka';
import { freePort, requireEnv, uniqueName, waitFor } from '@switchboard/testkit';
import { stringify } from 'yaml';
import { generateKey } from '../src/auth/api-key';
import { event, logger, readTopic } from './support';

/**
 * The composition root as operators run it: configuration from the environment, the keys file,
 * telemetry, the real producer, /metrics, and a clean exit on SIGTERM.
 */
describe('src/main.ts', () => {
  const brokers = requireEnv('KAFKA_BROKERS');
  const { key, entry } = generateKey({
    name: 'main-test',
    tenantId: uniqueName('tenant'),
    channels: ['chat'],
  });
  let service: ChildProcess;
  let url: string;
  let output = '';

  beforeAll(async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ingestion-main-'));
    const keysFile = path.join(dir, 'keys.yaml');
    writeFileSync(keysFile, stringify([entry]));
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    service = spawn(
      process.execPath,
      ['--conditions=@switchboard/source', '--import', 'tsx', 'src/main.ts'],
      {
        cwd: path.resolve(__dirname, '..'),
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          PATH: process.env.PATH,
          KAFKA_BROKERS: brokers,
          HTTP_HOST: '127.0.0.1',
          HTTP_PORT: String(port),
          INGESTION_API_KEYS_FILE: keysFile,
          INGESTION_CREATE_TOPIC: 'true',
        },
      },
    );
    service.stdout?.on('data', (chunk) => {
      output += chunk;
    });
    service.stderr?.on('data', (chunk) => {
      output += chunk;
    });
    await waitFor(
      'ingestion /readyz',
      () =>
        fetch(`${url}/readyz`).then(
          (r) => r.ok,
          () => false,
        ),
      60_000,
    );
  }, 90_000);
  afterAll(() => {
    if (service.exitCode === null) service.kill('SIGKILL');
  });

  it('accepts events into the conversations topic, counts them in /metrics, and drains on SIGTERM', async () => {
    const posted = await fetch(`${url}/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ events: [event('m-1'), event('m-2')] }),
    });
    const metrics = await (await fetch(`${url}/metrics`)).text();
    const refused = await fetch(`${url}/v1/events`, { method: 'POST', body: '{}' });

    expect(posted.status).toBe(202);
    expect(await posted.json()).toEqual({ accepted: 2 });
    expect(metrics).toMatch(/ingestion_events_accepted_total\{[^}]*\} 2/);
    expect(refused.status).toBe(401);

    const kafka = createKafka(
      { brokers: brokers.split(','), clientId: uniqueName('main-test-reader') },
      logger,
    );
    const isMine = (m: ConsumedEnvelope) => m.key === entry.tenantId;
    const mine = (
      await readTopic(kafka, Topics.conversations, (seen) => seen.filter(isMine).length >= 2)
    ).filter(isMine);
    expect(mine.map((m) => m.envelope.eventId)).toEqual(['m-1', 'm-2']);

    service.kill('SIGTERM');
    const [code] = await once(service, 'exit');
    expect(code).toBe(0);
    expect(output).not.toContain(key);
  });
});
