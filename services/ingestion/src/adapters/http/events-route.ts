import { context, propagation, trace } from '@opentelemetry/api';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { BoundedPublisher } from '../../bounded-publisher';
import { forbiddenChannels } from '../../domain/channel-policy';
import { eventsOf, type IncomingBody } from '../../domain/events';
import { toEnvelopes } from '../../domain/to-envelope';
import { IngestionError } from '../../errors';
import type { IngestionMetrics } from '../../ports';
import { acceptedSchema, postEventsBody } from './schemas';

export interface EventsRouteDeps {
  publisher: BoundedPublisher;
  metrics: IngestionMetrics;
  now: () => number;
  rateLimit: { max: number; windowMs: number };
}

const problemResponse = { $ref: 'Problem#' } as const;

export function eventsRoute(scope: FastifyInstance, deps: EventsRouteDeps): void {
  scope.post<{ Body: IncomingBody }>(
    '/v1/events',
    {
      schema: {
        summary: 'Post one event, or a batch of up to 500',
        description:
          'Answers 202 only once every event is durably in Kafka (acks=all). A batch is all-or-nothing. ' +
          'The tenant is the API key\'s; "channel", when given, must be one the key may post for.',
        tags: ['events'],
        security: [{ apiKey: [] }],
        body: postEventsBody,
        response: {
          202: acceptedSchema,
          400: problemResponse,
          401: problemResponse,
          403: problemResponse,
          413: problemResponse,
          415: problemResponse,
          422: problemResponse,
          429: problemResponse,
          503: problemResponse,
        },
      },
      config: {
        rateLimit: {
          keyGenerator: (request) => request.principal?.keyId ?? '',
          max: (request) => request.principal?.rateLimit?.max ?? deps.rateLimit.max,
          timeWindow: (request) => request.principal?.rateLimit?.windowMs ?? deps.rateLimit.windowMs,
        },
      },
    },
    async (request, reply) => {
      const principal = request.principal!;
      const batched = 'events' in request.body;
      const pointerOf = batched ? (i: number) => `/events/${i}` : () => '';
      const events = eventsOf(request.body);
      const forbidden = forbiddenChannels(events, principal.channels, pointerOf);
      if (forbidden.length > 0) {
        throw new IngestionError(
          'ING_ERR_CHANNEL_FORBIDDEN',
          'this API key may not post for that channel',
          forbidden,
        );
      }
      const converted = toEnvelopes(
        events,
        {
          tenantId: principal.tenantId,
          source: principal.name,
          recordedAtMs: deps.now(),
          correlationId: request.id,
        },
        pointerOf,
      );
      if (!converted.ok) {
        throw new IngestionError(
          'ING_ERR_INVALID_EVENT',
          'an event cannot be represented',
          converted.problems,
        );
      }
      // The producer copies the active trace context into the Kafka headers.
      await context.with(traceContextOf(request), () => deps.publisher.publish(converted.envelopes));
      deps.metrics.accepted(events.length, principal.tenantId);
      return reply.code(202).send({ accepted: events.length });
    },
  );
}

/**
 * The request's trace context: the server span when the http instrumentation (or @fastify/otel) made
 * one, else the caller's W3C `traceparent` itself, so Kafka consumers join the adapter's trace.
 */
function traceContextOf(request: FastifyRequest) {
  const active = context.active();
  return trace.getSpan(active) === undefined ? propagation.extract(active, request.headers) : active;
}
