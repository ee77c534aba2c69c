import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type TestApp, testApp } from './testing/test-app';

/**
 * The examples in docs/api/ingestion.md are what adapter authors copy: each one marked
 * `<!-- example: <status> -->` is posted here and must get that status (and the documented answer, when
 * the doc shows one right after it).
 */
const doc = readFileSync(join(__dirname, '../../../docs/api/ingestion.md'), 'utf8');
const examples = [
  ...doc.matchAll(
    /<!-- example: (\d{3}) -->\n```json\n([\s\S]*?)```(?:\n\nanswers\n\n```json\n([\s\S]*?)```)?/g,
  ),
].map(([, status, body, answer]) => ({ status: Number(status), body: body!, answer }));

describe('docs/api/ingestion.md examples', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp({ docs: { tenantId: 'acme', channels: ['*'] } });
  });
  afterAll(() => t.app.close());

  it('ships the OpenAPI document the service serves (regenerate: pnpm --filter @switchboard/ingestion openapi)', async () => {
    await t.app.ready();
    const shipped = JSON.parse(
      readFileSync(join(__dirname, '../../../docs/api/ingestion.openapi.json'), 'utf8'),
    );

    expect(shipped).toEqual(JSON.parse(JSON.stringify(t.app.swagger())));
  });

  it('has examples', () => {
    expect(examples.length).toBeGreaterThanOrEqual(6);
  });

  it.each(examples.map((e, i) => [i, e.status, e] as const))(
    'example %i answers %i',
    async (_i, status, example) => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/v1/events',
        headers: { authorization: `Bearer ${t.keys.docs!.key}`, 'content-type': 'application/json' },
        payload: example.body,
      });

      expect(res.statusCode).toBe(status);
      if (example.answer !== undefined) expect(res.json()).toEqual(JSON.parse(example.answer));
    },
  );
});
