import { createServer, type Server } from 'node:http';

export interface HealthDeps {
  ready: () => boolean;
  metrics: () => Promise<{ contentType: string; body: string }>;
}

/**
 * The operations endpoints of a service without a web framework: `/healthz` (the process answers),
 * `/readyz` (`ready()`: recovered and serving), `/metrics` (Prometheus text from the telemetry reader).
 */
export function createHealthServer(deps: HealthDeps): Server {
  return createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const json = (status: number, body: object) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return json(405, { error: 'method not allowed' });
    if (path === '/healthz') return json(200, { status: 'ok' });
    if (path === '/readyz')
      return deps.ready() ? json(200, { status: 'ready' }) : json(503, { status: 'recovering' });
    if (path === '/metrics') {
      deps.metrics().then(
        ({ contentType, body }) => {
          res.writeHead(200, { 'content-type': contentType });
          res.end(body);
        },
        () => json(500, { error: 'metrics unavailable' }),
      );
      return;
    }
    json(404, { error: 'not found' });
  });
}

export function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const addr = server.address();
      resolve(typeof addr === 'object' && addr ? addr.port : port);
    });
  });
}
