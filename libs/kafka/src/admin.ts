import type { Admin, Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import { isUnavailable, KafkaLibError, KafkaUnavailableError } from './errors';
import type { TopicAdmin, TopicSpec } from './types';

/** Topic configs for a spec: compaction, retention and any extra configs. */
export function topicConfigs(spec: TopicSpec): { name: string; value: string }[] {
  const configs: Record<string, string> = { ...spec.configs };
  if (spec.compacted) configs['cleanup.policy'] = 'compact';
  if (spec.retentionMs !== undefined) configs['retention.ms'] = String(spec.retentionMs);
  return Object.entries(configs).map(([name, value]) => ({ name, value }));
}

function isAlreadyExists(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const { type, errors } = err as { type?: string; errors?: unknown[] };
  if (type === 'TOPIC_ALREADY_EXISTS') return true;
  return Array.isArray(errors) && errors.length > 0 && errors.every(isAlreadyExists);
}

function adminError(what: string, err: unknown): KafkaLibError {
  const message = `${what}: ${err instanceof Error ? err.message : String(err)}`;
  if (isUnavailable(err)) return new KafkaUnavailableError(message, { cause: err });
  return new KafkaLibError('KAFKA_ERR_ADMIN_FAILED', message, { cause: err });
}

export class KafkajsTopicAdmin implements TopicAdmin {
  private readonly admin: Admin;
  private connecting: Promise<void> | undefined;

  constructor(
    kafka: Kafka,
    private readonly logger: Logger,
  ) {
    this.admin = kafka.admin();
  }

  async ensureTopics(topics: TopicSpec[]): Promise<string[]> {
    await this.connect();
    const existing = new Set(await this.listTopics());
    const missing = topics.filter((t) => !existing.has(t.topic));
    if (missing.length === 0) return [];
    try {
      await this.admin.createTopics({
        // kafkajs' own wait gives up after its short retry budget on a loaded broker; waitForLeaders below doesn't.
        waitForLeaders: false,
        topics: missing.map((spec) => ({
          topic: spec.topic,
          numPartitions: spec.partitions,
          replicationFactor: spec.replicationFactor ?? 1,
          configEntries: topicConfigs(spec),
        })),
      });
    } catch (err) {
      // Another replica created them between our list and our create: that is what we wanted.
      if (!isAlreadyExists(err)) throw adminError('creating topics failed', err);
    }
    await this.waitForLeaders(missing.map((t) => t.topic));
    this.logger.info({ topics: missing.map((t) => t.topic) }, 'kafka topics created');
    return missing.map((t) => t.topic);
  }

  /** Until every partition of the topics has a leader, so producing right after creation succeeds. */
  private async waitForLeaders(topics: string[], timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let lastError: unknown;
    while (Date.now() < deadline) {
      try {
        const { topics: metadata } = await this.admin.fetchTopicMetadata({ topics });
        const ready =
          metadata.length === topics.length &&
          metadata.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0));
        if (ready) return;
      } catch (err) {
        lastError = err; // UNKNOWN_TOPIC_OR_PARTITION until the controller's metadata reaches the broker
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw adminError(`topics ${topics.join(', ')} have no leaders after ${timeoutMs} ms`, lastError);
  }

  async deleteTopics(topics: string[]): Promise<void> {
    if (topics.length === 0) return;
    await this.connect();
    try {
      await this.admin.deleteTopics({ topics });
    } catch (err) {
      throw adminError('deleting topics failed', err);
    }
  }

  async listTopics(): Promise<string[]> {
    await this.connect();
    try {
      return await this.admin.listTopics();
    } catch (err) {
      throw adminError('listing topics failed', err);
    }
  }

  async committedOffsets(groupId: string, topic: string): Promise<Record<number, string>> {
    await this.connect();
    try {
      const [offsets] = await this.admin.fetchOffsets({ groupId, topics: [topic] });
      const out: Record<number, string> = {};
      for (const p of offsets?.partitions ?? []) if (BigInt(p.offset) >= 0n) out[p.partition] = p.offset;
      return out;
    } catch (err) {
      throw adminError(`fetching committed offsets of ${groupId} failed`, err);
    }
  }

  async disconnect(): Promise<void> {
    const connecting = this.connecting;
    this.connecting = undefined;
    if (connecting) await connecting.catch(() => undefined);
    await this.admin.disconnect();
  }

  private connect(): Promise<void> {
    this.connecting ??= this.admin.connect().catch((err: unknown) => {
      this.connecting = undefined;
      throw adminError('admin connect failed', err);
    });
    return this.connecting;
  }
}
