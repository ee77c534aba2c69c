import { buildOpsServer } from './ops-server';

describe('ops server', () => {
  it('is healthy at once, ready only when the service says so, and serves metrics', async () => {
    let ready = false;
    const app = buildOpsServer({
      isReady: () => ready,
      metrics: async () => ({
        contentType: 'text/plain; version=0.0.4',
        body: 'analytics_events_projected 3\n',
      }),
    });
    expect((await app.inject({ url: '/healthz' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/readyz' })).statusCode).toBe(503);
    ready = true;
    expect((await app.inject({ url: '/readyz' })).json()).toEqual({ status: 'ready' });
    const metrics = await app.inject({ url: '/metrics' });
    expect(metrics.headers['content-type']).toContain('text/plain');
    expect(metrics.body).toBe('analytics_events_projected 3\n');
    await app.close();
  });
});
