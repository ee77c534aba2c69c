import type { TenantConfig } from '@switchboard/contracts';
import { routingConfigFromProto } from '@switchboard/routing/domain/config-proto';
import { validateRoutingConfig } from '@switchboard/routing/domain/validate-config';
import { validateSlaConfig } from '@switchboard/sla-timer/domain/index';
import type { ConfigProblem } from './problems';

/** proto field names (time_zone) to the file's JSON names (timeZone) inside a JSON pointer. */
const toJsonPointer = (path: string) => path.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/**
 * What the services themselves would reject: the CLI runs the routing and SLA validators, so a
 * configuration that passes here is one every service accepts.
 */
export function semanticProblems(config: TenantConfig): ConfigProblem[] {
  const routing = validateRoutingConfig(routingConfigFromProto(config));
  const sla = validateSlaConfig(config.slaPolicies, config.calendars).map((p) => ({
    path: toJsonPointer(p.path),
    message: `${p.message} (${p.code})`,
  }));
  return [...routing.map((p) => ({ path: toJsonPointer(p.path), message: p.message })), ...sla];
}
