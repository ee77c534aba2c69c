import {
  type Context,
  context,
  type Link,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';

const TRACER_NAME = '@switchboard/kafka';

function tracer() {
  return trace.getTracer(TRACER_NAME);
}

/** Starts a PRODUCER span `send <topic>` under the active context and returns the headers to carry it. */
export function startProducerSpan(
  topic: string,
  messageCount: number,
  headers: Record<string, string> | undefined,
): { span: Span; headers: Record<string, string> } {
  const parent = context.active();
  const span = tracer().startSpan(
    `send ${topic}`,
    {
      kind: SpanKind.PRODUCER,
      attributes: {
        'messaging.system': 'kafka',
        'messaging.operation.type': 'send',
        'messaging.destination.name': topic,
        'messaging.batch.message_count': messageCount,
      },
    },
    parent,
  );
  const carrier: Record<string, string> = { ...headers };
  propagation.inject(trace.setSpan(parent, span), carrier);
  return { span, headers: carrier };
}

/** The remote context a message's headers carry (ROOT when none). */
export function extractContext(headers: Record<string, string>): Context {
  return propagation.extract(ROOT_CONTEXT, headers);
}

/**
 * Starts a CONSUMER span `process <topic>` for a batch: its parent is the first message's producer
 * context, every other message's context is a link (a batch mixes several producers' traces).
 */
export function startConsumerSpan(
  topic: string,
  partition: number,
  messageHeaders: Record<string, string>[],
): { span: Span; ctx: Context } {
  const parent = messageHeaders[0] ? extractContext(messageHeaders[0]) : ROOT_CONTEXT;
  const links: Link[] = [];
  for (let i = 1; i < messageHeaders.length && links.length < 128; i++) {
    const spanContext = trace.getSpanContext(extractContext(messageHeaders[i]!));
    if (spanContext) links.push({ context: spanContext });
  }
  const span = tracer().startSpan(
    `process ${topic}`,
    {
      kind: SpanKind.CONSUMER,
      links,
      attributes: {
        'messaging.system': 'kafka',
        'messaging.operation.type': 'process',
        'messaging.destination.name': topic,
        'messaging.destination.partition.id': String(partition),
        'messaging.batch.message_count': messageHeaders.length,
      },
    },
    parent,
  );
  return { span, ctx: trace.setSpan(parent, span) };
}

/** Runs `fn` inside `ctx`, ending the span with the outcome. */
export async function inSpan<T>(span: Span, ctx: Context, fn: () => Promise<T>): Promise<T> {
  try {
    const result = await context.with(ctx, fn);
    span.setStatus({ code: SpanStatusCode.OK });
    return result;
  } catch (err) {
    recordFailure(span, err);
    throw err;
  } finally {
    span.end();
  }
}

export function recordFailure(span: Span, err: unknown): void {
  const error = err instanceof Error ? err : new Error(String(err));
  span.recordException(error);
  span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
}
