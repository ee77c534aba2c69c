import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { EVENT_TYPES } from './domain/events';
import { started, type TestApp, testApp } from './testing/test-app';

/**
 * Thousands of random and mutated bodies: never a 5xx, never a crash, every refusal an RFC 9457 problem
 * document with a stable code, and every 202 matched by exactly the events it counts.
 */
let t: TestApp;
beforeAll(async () => {
  t = await testApp(
    { fuzz: { tenantId: 'acme', channels: ['chat', 'voice'] } },
    { bodyLimitBytes: 64 * 1024 },
  );
});
afterAll(() => t.app.close());

const validEvents = [
  started('v1'),
  {
    id: 'v2',
    type: 'message.received',
    conversationId: 'c1',
    occurredAt: '2026-01-02T03:04:05Z',
    text: 'hi',
  },
  { id: 'v3', type: 'message.sent', conversationId: 'c1', occurredAt: '2026-01-02T03:04:05Z', agentId: 'a1' },
  {
    id: 'v4',
    type: 'csat.submitted',
    conversationId: 'c1',
    occurredAt: '2026-01-02T03:04:05+01:00',
    score: 4,
  },
  {
    id: 'v5',
    type: 'handoff.requested',
    conversationId: 'c1',
    occurredAt: '2026-01-02T03:04:05Z',
    botId: 'b',
  },
];

type Json = unknown;

/** One mutation of a JSON object: drop, replace or add a field, or retype it. */
const mutate = (value: Record<string, Json>): fc.Arbitrary<Record<string, Json>> => {
  const keys = Object.keys(value);
  return fc.oneof(
    fc.constantFrom(...keys).map((k) => {
      const { [k]: _dropped, ...rest } = value;
      return rest;
    }),
    fc.tuple(fc.constantFrom(...keys), fc.jsonValue()).map(([k, v]) => ({ ...value, [k]: v })),
    fc.tuple(fc.string(), fc.jsonValue()).map(([k, v]) => ({ ...value, [k]: v })),
    fc
      .oneof(fc.constantFrom(...EVENT_TYPES), fc.string(), fc.constant('conversation.exploded'))
      .map((type) => ({ ...value, type })),
    fc.constantFrom('voice', 'chat', 'email', 'pigeon', '', 42).map((channel) => ({ ...value, channel })),
    fc
      .constantFrom(
        '2026-01-02T03:04:05Z',
        '2026-02-30T00:00:00Z',
        '2026-12-31T23:59:60Z',
        'yesterday',
        '',
        0,
      )
      .map((occurredAt) => ({ ...value, occurredAt })),
  );
};

const mutatedEvent = fc.constantFrom(...validEvents).chain((e) =>
  fc.oneof(
    fc.constant(e),
    mutate(e),
    mutate(e).chain((m) => (Object.keys(m).length > 0 ? mutate(m) : fc.constant(m))),
  ),
);

const bodies: fc.Arbitrary<string> = fc.oneof(
  mutatedEvent.map((e) => JSON.stringify(e)),
  fc.array(mutatedEvent, { minLength: 0, maxLength: 20 }).map((events) => JSON.stringify({ events })),
  fc
    .tuple(
      fc.array(mutatedEvent, { maxLength: 5 }),
      fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 3 }),
    )
    .map(([events, extra]) => JSON.stringify({ ...extra, events })),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 200 }),
  fc.constantFrom(
    '',
    '{',
    '{"events":',
    'null',
    '[]',
    '{"__proto__":{"x":1}}',
    '{"constructor":{"prototype":{}}}',
  ),
  mutatedEvent.map((e) => JSON.stringify(e).slice(0, -1)),
  fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
);

// Mostly JSON, so that most bodies reach validation.
const contentTypes = fc.oneof(
  { arbitrary: fc.constantFrom('application/json', 'application/json; charset=utf-8'), weight: 8 },
  {
    arbitrary: fc.constantFrom(
      'text/plain',
      'application/x-www-form-urlencoded',
      'application/problem+json',
      undefined,
    ),
    weight: 2,
  },
);

function checkAnswer(res: LightMyRequestResponse, writesBefore: number): void {
  expect(res.statusCode).toBeLessThan(500);
  if (res.statusCode === 202) {
    const written = t.sink.written.length - writesBefore;
    expect(written).toBe(1);
    expect(res.json()).toEqual({ accepted: t.sink.written.at(-1)!.length });
    return;
  }
  expect(t.sink.written.length).toBe(writesBefore);
  expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
  const doc = res.json();
  expect(doc).toMatchObject({ status: res.statusCode, code: expect.stringMatching(/^ING_ERR_[A-Z_]+$/) });
  expect(typeof doc.title).toBe('string');
  expect(typeof doc.detail).toBe('string');
  for (const problem of doc.errors ?? []) {
    expect(problem.pointer).toMatch(/^(\/.*)?$/);
    expect(typeof problem.detail).toBe('string');
  }
}

it('answers every random or mutated body without a 5xx, with a problem document when refusing', async () => {
  await fc.assert(
    fc.asyncProperty(bodies, contentTypes, async (payload, contentType) => {
      const writesBefore = t.sink.written.length;
      const res = await t.app.inject({
        method: 'POST',
        url: '/v1/events',
        headers: {
          authorization: `Bearer ${t.keys.fuzz!.key}`,
          ...(contentType === undefined ? {} : { 'content-type': contentType }),
        },
        payload,
      });
      checkAnswer(res, writesBefore);
    }),
    { numRuns: 4000 },
  );
}, 120_000);

it('answers random methods, paths and credentials with problems, never a 5xx', async () => {
  const methods = fc.constantFrom<'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH' | 'OPTIONS' | 'HEAD'>(
    'GET',
    'POST',
    'PUT',
    'DELETE',
    'PATCH',
    'OPTIONS',
    'HEAD',
  );
  const paths = fc.oneof(
    fc.constantFrom(
      '/v1/events',
      '/v1/events/',
      '/v1',
      '/healthz',
      '/readyz',
      '/metrics',
      '/docs',
      '/v1/events?x=%zz',
    ),
    // inject needs an absolute path; a real client always sends one.
    fc.webPath().map((p) => (p.startsWith('/') ? p : `/${p}`)),
  );
  const auth = fc.oneof(
    fc.constant(undefined),
    fc.string().map((s) => `Bearer ${s}`),
    fc.constant(`Bearer ${t.keys.fuzz!.key}`),
    fc.string(),
  );
  await fc.assert(
    fc.asyncProperty(methods, paths, auth, bodies, async (method, url, authorization, payload) => {
      const safeAuth = authorization?.replace(/[^\t\x20-\x7e]/g, '');
      const res = await t.app.inject({
        method,
        url,
        headers: {
          'content-type': 'application/json',
          ...(safeAuth === undefined ? {} : { authorization: safeAuth }),
        },
        ...(method === 'GET' || method === 'HEAD' ? {} : { payload }),
      });
      expect(res.statusCode).toBeLessThan(500);
      if (res.statusCode >= 400 && method !== 'HEAD') {
        expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
        expect(res.json().code).toMatch(/^ING_ERR_/);
      }
    }),
    { numRuns: 1500 },
  );
}, 120_000);
