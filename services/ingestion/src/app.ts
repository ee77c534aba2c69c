import { randomUUID } from 'node:crypto';
import { FastifyOtelInstrumentation } from '@fastify/otel';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { requireApiKey } from './adapters/http/auth';
import { eventsRoute } from './adapters/http/events-route';
import { healthRoutes } from './adapters/http/health-routes';
import { sendProblem, toIngestionError } from './adapters/http/problem';
import { batchSchema, eventSchema, problemSchema } from './adapters/http/schemas';
import type { KeyRing } from './auth/api-key';
import { BoundedPublisher, type PublishLimits } from './bounded-publisher';
import { IngestionError } from './errors';
import type { EventSink, IngestionMetrics, MetricsText } from './ports';

export interface AppLimits extends PublishLimits {
  bodyLimitBytes: number;
  /** Default per-key rate limit; a key may set its own. */
  rateLimit: { max: number; windowMs: number };
}

export interface AppDeps {
  keyRing: KeyRing;
  sink: EventSink;
  metrics: IngestionMetrics;
  metricsText: MetricsText;
  now: () => number;
  limits: AppLimits;
  logger?: FastifyBaseLogger;
  /** A span per hook through @fastify/otel (the SDK is started by main); trace context flows without it. */
  tracing?: boolean;
  /** Serve HTTPS with this certificate chain and key (PEM). */
  https?: { cert: Buffer; key: Buffer };
}

const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Builds the ingestion HTTP service without listening (tests use `inject`). */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    ...(deps.https ? { https: deps.https } : {}),
    loggerInstance: deps.logger,
    bodyLimit: deps.limits.bodyLimitBytes,
    // Our own 503 problem while draining instead of fastify's bare one.
    return503OnClosing: false,
    requestIdHeader: false,
    genReqId: (req) => {
      const given = req.headers['x-correlation-id'];
      return typeof given === 'string' && CORRELATION_ID.test(given) ? given : randomUUID();
    },
    ajv: {
      customOptions: {
        allErrors: true,
        coerceTypes: false,
        removeAdditional: false,
        useDefaults: false,
        discriminator: true,
      },
    },
  });
  const publisher = new BoundedPublisher(deps.sink, deps.limits, deps.metrics, deps.now);
  let draining = false;

  if (deps.tracing) {
    const otel = new FastifyOtelInstrumentation({ registerOnInitialization: false });
    await app.register(otel.plugin());
  }
  await app.register(swagger, {
    // Name the shared schemas after their $id in the OpenAPI document.
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => String(json.$id ?? `def-${i}`) },
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Switchboard ingestion',
        version: '1.0.0',
        description: 'Channel adapters post conversation events here. See docs/api/ingestion.md.',
      },
      components: {
        securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', bearerFormat: 'sb_<keyId>_<secret>' } },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  await app.register(rateLimit, {
    global: false,
    hook: 'onRequest',
    errorResponseBuilder: (_request, ctx) =>
      new IngestionError(
        'ING_ERR_RATE_LIMITED',
        `rate limit of ${ctx.max} requests exceeded, retry in ${ctx.after}`,
        [],
        {
          retryAfterSeconds: Math.max(1, Math.ceil(ctx.ttl / 1000)),
        },
      ),
  });
  app.addSchema(eventSchema);
  app.addSchema(batchSchema);
  app.addSchema(problemSchema);

  app.addHook('preClose', async () => {
    draining = true;
  });
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-correlation-id', request.id);
    if (draining) {
      throw new IngestionError('ING_ERR_SHUTTING_DOWN', 'this instance is shutting down; retry', [], {
        retryAfterSeconds: deps.limits.retryAfterSeconds,
      });
    }
  });
  app.addHook('onSend', async (_request, reply) => {
    // Requests still running when the drain began: answer, then let the connection go.
    if (draining) reply.header('connection', 'close');
  });
  app.setErrorHandler((error, request, reply) => {
    const ingestionError = toIngestionError(error as Error);
    deps.metrics.rejected(ingestionError.code);
    if (ingestionError.statusCode >= 500) {
      request.log.error(
        { err: ingestionError.cause ?? ingestionError, code: ingestionError.code },
        'request failed',
      );
    } else {
      request.log.info({ code: ingestionError.code }, 'request rejected');
    }
    return sendProblem(request, reply, ingestionError);
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(
      request,
      reply,
      new IngestionError('ING_ERR_NOT_FOUND', `no route ${request.method} ${request.url}`),
    ),
  );

  healthRoutes(app, {
    ready: () => !draining && deps.sink.isReady(),
    metricsText: deps.metricsText,
    retryAfterSeconds: deps.limits.retryAfterSeconds,
  });
  await app.register(async (scope) => {
    requireApiKey(scope, deps.keyRing);
    eventsRoute(scope, { publisher, metrics: deps.metrics, now: deps.now, rateLimit: deps.limits.rateLimit });
  });
  return app;
}
