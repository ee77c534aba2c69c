import type { FastifyInstance } from 'fastify';
import { IngestionError } from '../../errors';
import type { MetricsText } from '../../ports';

export interface HealthDeps {
  ready: () => boolean;
  metricsText: MetricsText;
  retryAfterSeconds: number;
}

const status = { type: 'object', properties: { status: { type: 'string' } } } as const;

/** Liveness, readiness (the producer is connected and we are not draining) and Prometheus metrics. */
export function healthRoutes(app: FastifyInstance, deps: HealthDeps): void {
  app.get(
    '/healthz',
    { schema: { summary: 'The process is alive', tags: ['operations'], response: { 200: status } } },
    async () => ({ status: 'alive' }),
  );
  app.get(
    '/readyz',
    {
      schema: {
        summary: 'The Kafka producer is connected',
        tags: ['operations'],
        response: { 200: status, 503: { $ref: 'Problem#' } },
      },
    },
    async () => {
      if (!deps.ready()) {
        throw new IngestionError('ING_ERR_KAFKA_UNAVAILABLE', 'not ready: Kafka producer not connected', [], {
          retryAfterSeconds: deps.retryAfterSeconds,
        });
      }
      return { status: 'ready' };
    },
  );
  app.get(
    '/metrics',
    { schema: { summary: 'Prometheus metrics', tags: ['operations'], produces: ['text/plain'] } },
    async (_request, reply) => {
      const { contentType, body } = await deps.metricsText();
      return reply.type(contentType).send(body);
    },
  );
}
