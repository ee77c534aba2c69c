import { analyticsEnv } from '@switchboard/analytics/config';
import { type ConfigVariable, describeConfig, sharedFragments, type z } from '@switchboard/config';
import { ingestionEnv } from '@switchboard/ingestion/config';
import { routingEnv } from '@switchboard/routing/config';
import { slaEnv } from '@switchboard/sla-timer/config';

export const services = ['ingestion', 'routing', 'sla-timer', 'analytics'] as const;
export type Service = (typeof services)[number];

/** The configuration schema of each service (its `src/config.ts`). */
export const serviceSchemas: Record<Service, z.ZodObject> = {
  ingestion: ingestionEnv,
  routing: routingEnv,
  'sla-timer': slaEnv,
  analytics: analyticsEnv,
};

/** Variables the runtime reads rather than the service (Node.js itself). */
export const runtimeVariables = new Set(['NODE_OPTIONS']);

export function knownVariables(service: Service): Set<string> {
  return new Set([...describeConfig(serviceSchemas[service]).map((v) => v.name), ...runtimeVariables]);
}

/** The shared fragments whose every variable a schema includes, in reference order. */
export function fragmentsOf(schema: z.ZodObject): string[] {
  const names = new Set(Object.keys(schema.shape));
  return Object.entries(sharedFragments)
    .filter(([, fragment]) => Object.keys(fragment.shape).every((k) => names.has(k)))
    .map(([name]) => name);
}

/** A service's own variables: those not from a shared fragment. */
export function ownVariables(schema: z.ZodObject): ConfigVariable[] {
  const shared = new Set(Object.values(sharedFragments).flatMap((f) => Object.keys(f.shape)));
  return describeConfig(schema).filter((v) => !shared.has(v.name));
}
