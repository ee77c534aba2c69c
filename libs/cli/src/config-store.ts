import type { TenantConfig } from '@switchboard/contracts';

/** The configuration in force for a tenant, as last published. */
export interface AppliedConfig {
  version: bigint;
  config: TenantConfig;
  appliedBy: string;
}

/** Where tenant configurations are published and read back (the compacted config topic). */
export interface ConfigStore {
  current(tenant: string): Promise<AppliedConfig | undefined>;
  /** Durably publishes `config` as `version` for `tenant`. */
  publish(tenant: string, applied: AppliedConfig): Promise<void>;
  close(): Promise<void>;
}
