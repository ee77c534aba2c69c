import Fastify, { type FastifyInstance } from 'fastify';

export interface OpsServerDeps {
  /** Ready once migrations ran and the consumer joined its group. */
  isReady(): boolean;
  metrics(): Promise<{ contentType: string; body: string }>;
}

/** Health, readiness and Prometheus metrics; built without listening (tests use `inject`). */
export function buildOpsServer(deps: OpsServerDeps): FastifyInstance {
  const app = Fastify({ logger: false });
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_req, reply) => {
    const ready = deps.isReady();
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'starting' });
  });
  app.get('/metrics', async (_req, reply) => {
    const m = await deps.metrics();
    return reply.type(m.contentType).send(m.body);
  });
  return app;
}
