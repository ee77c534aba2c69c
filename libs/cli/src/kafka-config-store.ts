import { randomUUID } from 'node:crypto';
import { create } from '@bufbuild/protobuf';
import { DEFAULT_PARTITIONS, newEnvelope, TenantConfigAppliedSchema, Topics } from '@switchboard/contracts';
import { createKafka, type KafkaConfig } from '@switchboard/kafka';
import { createLogger } from '@switchboard/observability';
import type { AppliedConfig, ConfigStore } from './config-store';

export interface KafkaConfigStoreOptions {
  /** The config topic (tests use their own). */
  topic?: string;
  partitions?: number;
  /** Clock for `occurred_at` (the CLI is an adapter: it may read the clock). */
  now?: () => number;
}

/**
 * The compacted config topic as a ConfigStore: `current` reads the topic to its end and keeps the last
 * TenantConfigApplied of the tenant; `publish` appends a new one, keyed by tenant, acks=all.
 */
export async function openKafkaConfigStore(
  connection: KafkaConfig,
  options: KafkaConfigStoreOptions = {},
): Promise<ConfigStore> {
  const topic = options.topic ?? Topics.config;
  const now = options.now ?? Date.now;
  const kafka = createKafka(connection, createLogger({ service: 'sb-cli', level: 'warn' }));
  const admin = kafka.admin();
  await admin.ensureTopics([
    { topic, partitions: options.partitions ?? DEFAULT_PARTITIONS, compacted: true, retentionMs: -1 },
  ]);
  await admin.disconnect();
  const producer = kafka.producer({ lingerMs: 0 });

  return {
    async current(tenant) {
      let latest: AppliedConfig | undefined;
      await kafka.readToEnd({
        topic,
        onBatch(batch) {
          for (const { envelope } of batch) {
            if (envelope.tenantId !== tenant || envelope.payload.case !== 'tenantConfigApplied') continue;
            const applied = envelope.payload.value;
            if (!latest || applied.version > latest.version) {
              latest = { version: applied.version, config: applied.config!, appliedBy: applied.appliedBy };
            }
          }
        },
      });
      return latest;
    },
    async publish(tenant, applied) {
      const at = now();
      await producer.send(topic, [
        newEnvelope({
          eventId: `config-${tenant}-${applied.version}-${randomUUID()}`,
          tenantId: tenant,
          aggregateId: tenant,
          occurredAtMs: at,
          recordedAtMs: at,
          source: applied.appliedBy,
          payload: {
            case: 'tenantConfigApplied',
            value: create(TenantConfigAppliedSchema, {
              version: applied.version,
              config: applied.config,
              appliedBy: applied.appliedBy,
            }),
          },
        }),
      ]);
    },
    async close() {
      await producer.disconnect();
    },
  };
}
