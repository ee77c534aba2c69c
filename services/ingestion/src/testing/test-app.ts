import type { FastifyInstance } from 'fastify';
import { type AppLimits, buildApp } from '../app';
import { type ApiKeyEntry, generateKey, KeyRing } from '../auth/api-key';
import { MemorySink, RecordingMetrics } from './memory-sink';

export const NOW_MS = Date.UTC(2026, 0, 2, 3, 4, 5);

export const defaultLimits: AppLimits = {
  bodyLimitBytes: 256 * 1024,
  publishTimeoutMs: 200,
  maxInFlightEvents: 1000,
  retryAfterSeconds: 2,
  rateLimit: { max: 10_000, windowMs: 60_000 },
};

export interface TestKey {
  key: string;
  entry: ApiKeyEntry;
}

export interface TestApp {
  app: FastifyInstance;
  sink: MemorySink;
  metrics: RecordingMetrics;
  keys: Record<string, TestKey>;
}

/** The app over an in-memory sink, with one key per given spec (name → tenant, channels, rate limit). */
export async function testApp(
  keySpecs: Record<string, Omit<ApiKeyEntry, 'id' | 'sha256' | 'name'>>,
  limits: Partial<AppLimits> = {},
  options: { tracing?: boolean } = {},
): Promise<TestApp> {
  const keys: Record<string, TestKey> = {};
  for (const [name, spec] of Object.entries(keySpecs)) keys[name] = generateKey({ name, ...spec });
  const sink = new MemorySink();
  const metrics = new RecordingMetrics();
  const app = await buildApp({
    keyRing: new KeyRing(Object.values(keys).map((k) => k.entry)),
    sink,
    metrics,
    metricsText: async () => ({ contentType: 'text/plain; version=0.0.4', body: '# metrics\nup 1\n' }),
    now: () => NOW_MS,
    limits: { ...defaultLimits, ...limits },
    tracing: options.tracing ?? false,
  });
  return { app, sink, metrics, keys };
}

export function started(id: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    type: 'conversation.started',
    conversationId: `conv-${id}`,
    occurredAt: '2026-01-02T03:04:00.250Z',
    channel: 'chat',
    customer: { id: 'cust-1', tier: 'gold' },
    attributes: { language: 'en', topic: 'billing' },
    ...overrides,
  };
}
