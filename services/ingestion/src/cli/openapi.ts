import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { buildApp } from '../app';
import { KeyRing } from '../auth/api-key';
import { MemorySink, RecordingMetrics } from '../testing/memory-sink';

/**
 * Writes the OpenAPI document the service serves at /docs/json to a file, for readers without a running
 * service: `pnpm --filter @switchboard/ingestion openapi [out.json]` (default docs/api/ingestion.openapi.json).
 */
async function main(out: string): Promise<void> {
  // Only the routes and schemas matter here: nothing is listened on or published.
  const app = await buildApp({
    keyRing: new KeyRing([]),
    sink: new MemorySink(),
    metrics: new RecordingMetrics(),
    metricsText: async () => ({ contentType: 'text/plain', body: '' }),
    now: Date.now,
    limits: {
      bodyLimitBytes: 1_048_576,
      publishTimeoutMs: 4000,
      maxInFlightEvents: 20_000,
      retryAfterSeconds: 2,
      rateLimit: { max: 20_000, windowMs: 1000 },
    },
  });
  await app.ready();
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(app.swagger(), null, 2)}\n`);
  await app.close();
  process.stdout.write(`wrote ${out}\n`);
}

main(resolve(process.argv[2] ?? resolve(__dirname, '../../../../docs/api/ingestion.openapi.json'))).catch(
  (err: unknown) => {
    process.stderr.write(`${String(err)}\n`);
    process.exit(1);
  },
);
