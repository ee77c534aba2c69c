import { type AddressInfo, connect } from 'node:net';
import { Channel, msFromTs } from '@switchboard/contracts';
import type { LightMyRequestResponse } from 'fastify';
import { NOW_MS, started, type TestApp, testApp } from './testing/test-app';

type Body = Record<string, unknown> | string;

function post(t: TestApp, keyName: string | undefined, payload: Body, headers: Record<string, string> = {}) {
  return t.app.inject({
    method: 'POST',
    url: '/v1/events',
    headers: {
      'content-type': 'application/json',
      ...(keyName === undefined ? {} : { authorization: `Bearer ${t.keys[keyName]!.key}` }),
      ...headers,
    },
    payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
  });
}

function problem(res: LightMyRequestResponse) {
  expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
  const doc = res.json();
  expect(doc.status).toBe(res.statusCode);
  expect(doc.type).toBe(`urn:switchboard:problem:${doc.code}`);
  return doc as { code: string; detail: string; errors?: { pointer: string; detail: string }[] };
}

describe('POST /v1/events', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await testApp({
      'acme-chat': { tenantId: 'acme', channels: ['chat', 'sms'] },
      'globex-all': { tenantId: 'globex', channels: ['*'] },
    });
  });
  afterEach(() => t.app.close());

  it('accepts one event, 202 {accepted: 1}, as an envelope of the key tenant', async () => {
    const res = await post(t, 'acme-chat', started('e1'), { 'x-correlation-id': 'req-42' });

    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ accepted: 1 });
    expect(res.headers['x-correlation-id']).toBe('req-42');
    expect(t.sink.written).toHaveLength(1);
    const [envelope] = t.sink.all;
    expect(envelope).toMatchObject({
      eventId: 'e1',
      tenantId: 'acme',
      aggregateId: 'conv-e1',
      source: 'acme-chat',
      correlationId: 'req-42',
      schemaVersion: 1,
    });
    expect(msFromTs(envelope!.occurredAt)).toBe(Date.parse('2026-01-02T03:04:00.250Z'));
    expect(msFromTs(envelope!.recordedAt)).toBe(NOW_MS);
    expect(envelope!.payload.case).toBe('conversationStarted');
    expect(envelope!.payload.value).toMatchObject({
      channel: Channel.CHAT,
      customer: { id: 'cust-1', tier: 'gold' },
      attributes: { language: 'en', topic: 'billing' },
    });
    expect(t.metrics.acceptedEvents).toBe(1);
  });

  it('accepts a batch in one all-or-nothing write', async () => {
    const events = Array.from({ length: 500 }, (_, i) => started(`e${i}`));
    const res = await post(t, 'acme-chat', { events });

    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ accepted: 500 });
    expect(t.sink.written).toHaveLength(1);
    expect(t.sink.written[0]!.map((e) => e.eventId)).toEqual(events.map((e) => e.id));
  });

  it.each([
    ['conversation.started', {}, 'conversationStarted'],
    ['message.received', { text: 'hello' }, 'customerMessageReceived'],
    ['message.sent', { agentId: 'agent-7', text: 'hi' }, 'agentMessageSent'],
    ['conversation.resolved', { resolution: 'fixed' }, 'conversationResolved'],
    ['conversation.abandoned', { reason: 'hung up' }, 'conversationAbandoned'],
    ['conversation.reopened', {}, 'conversationReopened'],
    ['csat.submitted', { score: 5 }, 'csatSubmitted'],
    [
      'handoff.requested',
      { botId: 'bot-1', attributes: { intent: 'refund' }, summary: 'wants a refund' },
      'botHandoffRequested',
    ],
  ])('maps %s to the %s payload', async (type, fields, payloadCase) => {
    const base = { id: 'x1', type, conversationId: 'c1', occurredAt: '2026-01-02T03:04:05+02:00' };
    const body = type === 'conversation.started' ? started('x1') : { ...base, ...fields };

    const res = await post(t, 'acme-chat', body);

    expect(res.statusCode).toBe(202);
    expect(t.sink.all[0]!.payload.case).toBe(payloadCase);
    if (type !== 'conversation.started') {
      expect(t.sink.all[0]!.payload.value).toMatchObject(fields);
      expect(msFromTs(t.sink.all[0]!.occurredAt)).toBe(Date.parse('2026-01-02T01:04:05Z'));
    }
  });

  describe('tenant isolation', () => {
    it('takes the tenant from the key, whatever the body says', async () => {
      const res = await post(t, 'acme-chat', { ...started('e1'), tenantId: 'globex' });

      expect(res.statusCode).toBe(400);
      expect(problem(res).errors).toContainEqual({ pointer: '/tenantId', detail: 'is not a known field' });
      expect(t.sink.all).toHaveLength(0);
    });

    it('writes every event of each key under that key tenant only', async () => {
      await post(t, 'acme-chat', { events: [started('a1'), started('a2')] });
      await post(t, 'globex-all', { events: [started('g1', { channel: 'voice' })] });
      await post(t, 'acme-chat', started('a3'));

      const byTenant = t.sink.written.map((batch) => [...new Set(batch.map((e) => e.tenantId))]);
      expect(byTenant).toEqual([['acme'], ['globex'], ['acme']]);
      expect(t.sink.all.map((e) => `${e.tenantId}/${e.source}/${e.eventId}`)).toEqual([
        'acme/acme-chat/a1',
        'acme/acme-chat/a2',
        'globex/globex-all/g1',
        'acme/acme-chat/a3',
      ]);
    });
  });

  describe('authentication (401)', () => {
    const cases: [string, Record<string, string>][] = [
      ['no Authorization header', {}],
      ['another scheme', { authorization: 'Basic YWxhZGRpbjpvcGVuc2VzYW1l' }],
      ['a key of unknown id', { authorization: 'Bearer sb_0000000000000000_c2VjcmV0' }],
      ['a malformed key', { authorization: 'Bearer not-a-key' }],
      ['an empty bearer', { authorization: 'Bearer ' }],
    ];
    it.each(cases)('rejects %s', async (_name, headers) => {
      const res = await post(t, undefined, started('e1'), headers);

      expect(res.statusCode).toBe(401);
      expect(problem(res).code).toBe('ING_ERR_UNAUTHENTICATED');
      expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
      expect(t.sink.all).toHaveLength(0);
    });

    it('rejects a known key id with a wrong secret, without echoing the key', async () => {
      const real = t.keys['acme-chat']!.key;
      const forged =
        `${real.slice(0, -4)}AAAA` === real ? `${real.slice(0, -4)}BBBB` : `${real.slice(0, -4)}AAAA`;

      const res = await post(t, undefined, started('e1'), { authorization: `Bearer ${forged}` });

      expect(res.statusCode).toBe(401);
      expect(res.body).not.toContain(forged.slice(3));
      expect(t.sink.all).toHaveLength(0);
    });

    it('authenticates before reading the body', async () => {
      const res = await post(t, undefined, '{not json');

      expect(res.statusCode).toBe(401);
    });
  });

  describe('channels (403)', () => {
    it('rejects the whole batch when one event names a channel the key may not post for', async () => {
      const res = await post(t, 'acme-chat', {
        events: [started('e1'), started('e2', { channel: 'voice' }), started('e3', { channel: 'email' })],
      });

      expect(res.statusCode).toBe(403);
      const doc = problem(res);
      expect(doc.code).toBe('ING_ERR_CHANNEL_FORBIDDEN');
      expect(doc.errors!.map((e) => e.pointer)).toEqual(['/events/1/channel', '/events/2/channel']);
      expect(t.sink.all).toHaveLength(0);
    });

    it('checks channel-less types only when they name a channel', async () => {
      const message = {
        id: 'm1',
        type: 'message.received',
        conversationId: 'c1',
        occurredAt: '2026-01-02T03:04:05Z',
      };

      expect((await post(t, 'acme-chat', message)).statusCode).toBe(202);
      expect((await post(t, 'acme-chat', { ...message, id: 'm2', channel: 'sms' })).statusCode).toBe(202);
      const denied = await post(t, 'acme-chat', { ...message, id: 'm3', channel: 'video' });
      expect(denied.statusCode).toBe(403);
      expect(problem(denied).errors).toEqual([
        { pointer: '/channel', detail: expect.stringContaining('video') },
      ]);
    });

    it('lets a "*" key post for every channel', async () => {
      const res = await post(t, 'globex-all', {
        events: [started('e1', { channel: 'web_form' }), started('e2', { channel: 'voice' })],
      });

      expect(res.statusCode).toBe(202);
    });
  });

  describe('bad bodies', () => {
    it('answers 400 ING_ERR_MALFORMED_JSON to malformed JSON', async () => {
      const res = await post(t, 'acme-chat', '{"id": "e1",');

      expect(res.statusCode).toBe(400);
      expect(problem(res).code).toBe('ING_ERR_MALFORMED_JSON');
    });

    it('answers 400 ING_ERR_MALFORMED_JSON to an empty body', async () => {
      const res = await post(t, 'acme-chat', '');

      expect(res.statusCode).toBe(400);
      expect(problem(res).code).toBe('ING_ERR_MALFORMED_JSON');
    });

    it('answers 400 to a prototype-poisoning body', async () => {
      const res = await post(t, 'acme-chat', '{"__proto__": {"admin": true}}');

      expect(res.statusCode).toBe(400);
      expect(problem(res).code).toBe('ING_ERR_MALFORMED_JSON');
    });

    it('lists every schema violation with a JSON pointer', async () => {
      const res = await post(t, 'acme-chat', {
        events: [
          started('ok'),
          { ...started('e1'), occurredAt: 'yesterday', channel: 'pigeon', customer: {} },
          {
            id: 7,
            type: 'csat.submitted',
            conversationId: 'c',
            occurredAt: '2026-01-02T03:04:05Z',
            score: 6,
          },
          { id: 'e3', type: 'message.sent', conversationId: '', occurredAt: '2026-01-02T03:04:05Z' },
          { ...started('e4'), attributes: { language: 3, 'a/b': {} } },
        ],
      });

      expect(res.statusCode).toBe(400);
      const doc = problem(res);
      expect(doc.code).toBe('ING_ERR_INVALID_EVENT');
      expect(doc.errors!.map((e) => e.pointer).sort()).toEqual(
        [
          '/events/1/occurredAt',
          '/events/1/channel',
          '/events/1/customer/id',
          '/events/2/id',
          '/events/2/score',
          '/events/3/conversationId',
          '/events/3/agentId',
          '/events/4/attributes/language',
          '/events/4/attributes/a~1b',
        ].sort(),
      );
      expect(t.sink.all).toHaveLength(0);
    });

    it('answers 400 to a body that is neither an event nor a batch', async () => {
      for (const payload of ['[]', '42', '"event"', 'null', '{"events": []}', '{"events": {}}']) {
        const res = await post(t, 'acme-chat', payload);
        expect(res.statusCode).toBe(400);
        expect(problem(res).code).toBe('ING_ERR_INVALID_EVENT');
      }
    });

    it('answers 400 when a date-time names no instant', async () => {
      const res = await post(t, 'acme-chat', started('e1', { occurredAt: '2026-12-31T23:59:60Z' }));

      expect(res.statusCode).toBe(400);
      expect(problem(res).errors).toEqual([{ pointer: '/occurredAt', detail: expect.any(String) }]);
    });

    it('answers 422 ING_ERR_UNKNOWN_EVENT_TYPE when the only problem is an unknown type', async () => {
      const res = await post(t, 'acme-chat', {
        events: [
          started('e1'),
          {
            id: 'e2',
            type: 'conversation.exploded',
            conversationId: 'c',
            occurredAt: '2026-01-02T03:04:05Z',
          },
        ],
      });

      expect(res.statusCode).toBe(422);
      const doc = problem(res);
      expect(doc.code).toBe('ING_ERR_UNKNOWN_EVENT_TYPE');
      expect(doc.errors).toEqual([
        { pointer: '/events/1/type', detail: 'unknown event type "conversation.exploded"' },
      ]);
    });

    it('answers 400 when an unknown type comes with other violations, listing both', async () => {
      const res = await post(t, 'acme-chat', {
        events: [
          { ...started('e1'), channel: 'fax' },
          { ...started('e2'), type: 'nope' },
        ],
      });

      expect(res.statusCode).toBe(400);
      expect(problem(res).errors!.map((e) => e.pointer)).toEqual(['/events/0/channel', '/events/1/type']);
    });

    it('answers 413 ING_ERR_BATCH_TOO_LARGE to 501 events', async () => {
      const events = Array.from({ length: 501 }, (_, i) => ({
        id: `${i}`,
        type: 'csat.submitted',
        conversationId: 'c',
        occurredAt: '2026-01-02T03:04:05Z',
        score: 3,
      }));

      const res = await post(t, 'acme-chat', { events });

      expect(res.statusCode).toBe(413);
      expect(problem(res).code).toBe('ING_ERR_BATCH_TOO_LARGE');
      expect(t.sink.all).toHaveLength(0);
    });

    it('answers 413 ING_ERR_BODY_TOO_LARGE over the byte limit', async () => {
      const res = await post(t, 'acme-chat', started('e1', { attributes: { note: 'x'.repeat(300 * 1024) } }));

      expect(res.statusCode).toBe(413);
      expect(problem(res).code).toBe('ING_ERR_BODY_TOO_LARGE');
    });

    it('answers 415 to a body that is not JSON', async () => {
      const res = await post(t, 'acme-chat', 'id=e1', {
        'content-type': 'application/x-www-form-urlencoded',
      });

      expect(res.statusCode).toBe(415);
      expect(problem(res).code).toBe('ING_ERR_UNSUPPORTED_MEDIA_TYPE');
    });
  });

  describe('rate limit (429)', () => {
    it('limits each key on its own and says when to retry', async () => {
      const limited = await testApp({
        slow: { tenantId: 'acme', channels: ['chat'], rateLimit: { max: 2, windowMs: 30_000 } },
        other: { tenantId: 'acme', channels: ['chat'] },
      });
      try {
        const statuses: number[] = [];
        for (let i = 0; i < 3; i++) statuses.push((await post(limited, 'slow', started(`s${i}`))).statusCode);
        const rejected = await post(limited, 'slow', started('s9'));
        const otherKey = await post(limited, 'other', started('o1'));

        expect(statuses).toEqual([202, 202, 429]);
        expect(rejected.statusCode).toBe(429);
        expect(problem(rejected).code).toBe('ING_ERR_RATE_LIMITED');
        expect(Number(rejected.headers['retry-after'])).toBeGreaterThan(0);
        expect(Number(rejected.headers['retry-after'])).toBeLessThanOrEqual(30);
        expect(otherKey.statusCode).toBe(202);
        expect(limited.sink.all.map((e) => e.eventId)).toEqual(['s0', 's1', 'o1']);
      } finally {
        await limited.app.close();
      }
    });
  });

  describe('Kafka unavailable (503)', () => {
    it('answers 503 with Retry-After when the write fails, and accepts again once it works', async () => {
      t.sink.mode = 'fail';
      const down = await post(t, 'acme-chat', started('e1'));

      expect(down.statusCode).toBe(503);
      expect(problem(down).code).toBe('ING_ERR_KAFKA_UNAVAILABLE');
      expect(problem(down).detail).not.toContain('broker unreachable');
      expect(down.headers['retry-after']).toBe('2');

      t.sink.mode = 'ok';
      expect((await post(t, 'acme-chat', started('e1'))).statusCode).toBe(202);
      expect(t.sink.all.map((e) => e.eventId)).toEqual(['e1']);
    });

    it('answers 503 after the bounded wait when Kafka does not acknowledge', async () => {
      t.sink.mode = 'hang';

      const res = await post(t, 'acme-chat', started('e1'));

      expect(res.statusCode).toBe(503);
      expect(problem(res).code).toBe('ING_ERR_KAFKA_UNAVAILABLE');
      expect(t.metrics.publishes).toEqual(['timeout']);
      t.sink.release();
    });

    it('sheds load with 503 ING_ERR_OVERLOADED beyond the in-flight bound', async () => {
      const small = await testApp(
        { k: { tenantId: 'acme', channels: ['*'] } },
        { maxInFlightEvents: 3, publishTimeoutMs: 60_000 },
      );
      try {
        small.sink.mode = 'hang';
        const first = post(small, 'k', { events: [started('a'), started('b')] });
        await new Promise((resolve) => setImmediate(resolve));
        const second = await post(small, 'k', { events: [started('c'), started('d')] });

        expect(second.statusCode).toBe(503);
        expect(problem(second).code).toBe('ING_ERR_OVERLOADED');
        expect(second.headers['retry-after']).toBe('2');
        small.sink.mode = 'ok';
        small.sink.release();
        expect((await first).statusCode).toBe(202);
      } finally {
        await small.app.close();
      }
    });
  });
});

describe('operations endpoints', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await testApp({ k: { tenantId: 'acme', channels: ['*'] } });
  });
  afterEach(() => t.app.close());

  it('GET /healthz answers 200 without a key', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/healthz' });

    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'alive' });
  });

  it('GET /readyz follows the producer connection', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
    t.sink.ready = false;
    const res = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(503);
    expect(problem(res).code).toBe('ING_ERR_KAFKA_UNAVAILABLE');
  });

  it('GET /metrics serves the Prometheus text', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/metrics' });

    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.body).toContain('up 1');
  });

  it('serves the OpenAPI document at /docs/json', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/docs/json' });

    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/v1/events', '/healthz', '/readyz', '/metrics']),
    );
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining(['Event', 'EventBatch', 'Problem']),
    );
  });

  it('answers unknown routes with a 404 problem', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/v2/events?x=1' });

    expect(res.statusCode).toBe(404);
    expect(problem(res).code).toBe('ING_ERR_NOT_FOUND');
  });

  it('gives every response a correlation id, replacing an unusable one', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/healthz',
      headers: { 'x-correlation-id': 'bad id with spaces' },
    });

    expect(res.headers['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('hook spans (@fastify/otel)', () => {
  it('serves the same answers with a span per hook', async () => {
    const t = await testApp({ k: { tenantId: 'acme', channels: ['chat'] } }, {}, { tracing: true });
    try {
      const ok = await post(t, 'k', started('e1'));
      const denied = await post(t, 'k', started('e2', { channel: 'voice' }));

      expect(ok.statusCode).toBe(202);
      expect(denied.statusCode).toBe(403);
      expect(t.sink.all.map((e) => e.eventId)).toEqual(['e1']);
    } finally {
      await t.app.close();
    }
  });
});

describe('graceful shutdown', () => {
  it('stops accepting, finishes in-flight requests and closes their connections', async () => {
    const t = await testApp({ k: { tenantId: 'acme', channels: ['*'] } }, { publishTimeoutMs: 60_000 });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = t.app.server.address() as AddressInfo;
    t.sink.mode = 'hang';
    const body = JSON.stringify(started('e1'));
    const socket = connect(port, '127.0.0.1');
    let response = '';
    socket.on('data', (chunk) => {
      response += chunk.toString('utf8');
    });
    const socketClosed = new Promise((resolve) => socket.on('close', resolve));
    socket.write(
      `POST /v1/events HTTP/1.1\r\nhost: x\r\nauthorization: Bearer ${t.keys.k!.key}\r\n` +
        `content-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
    while (t.sink.pending === 0) await new Promise((resolve) => setImmediate(resolve));

    const closing = t.app.close();
    const newConnection = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      () => 'accepted',
      () => 'refused',
    );
    t.sink.mode = 'ok';
    t.sink.release();
    await closing;
    await socketClosed;

    expect(newConnection).toBe('refused');
    expect(response).toMatch(/^HTTP\/1.1 202 /);
    expect(response.toLowerCase()).toContain('connection: close');
    expect(response).toContain('{"accepted":1}');
  });
});
