import { createHealthServer, listen } from './health-server';

describe('health server', () => {
  it('answers liveness always, readiness from ready(), and serves the metrics text', async () => {
    let ready = false;
    const server = createHealthServer({
      ready: () => ready,
      metrics: async () => ({ contentType: 'text/plain; version=0.0.4', body: 'up 1\n' }),
    });
    const port = await listen(server, '127.0.0.1', 0);
    const get = (path: string, method = 'GET') => fetch(`http://127.0.0.1:${port}${path}`, { method });
    try {
      expect((await get('/healthz')).status).toBe(200);
      expect((await get('/readyz')).status).toBe(503);
      ready = true;
      expect((await get('/readyz?verbose=1')).status).toBe(200);
      const metrics = await get('/metrics');
      expect(metrics.headers.get('content-type')).toContain('text/plain');
      expect(await metrics.text()).toBe('up 1\n');
      expect((await get('/nope')).status).toBe(404);
      expect((await get('/healthz', 'POST')).status).toBe(405);
    } finally {
      server.close();
    }
  });
});
