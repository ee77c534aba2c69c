import { DEFAULT_PARTITIONS, Topics } from '@switchboard/contracts';
import type { SwitchboardKafka } from '@switchboard/kafka';

/**
 * Creates the topics the projector reads and dead-letters to when they do not exist yet (a fresh
 * cluster); existing topics are left as they are.
 */
export async function ensureProjectedTopics(kafka: SwitchboardKafka): Promise<string[]> {
  const admin = kafka.admin();
  try {
    return await admin.ensureTopics([
      { topic: Topics.conversations, partitions: DEFAULT_PARTITIONS },
      { topic: Topics.routing, partitions: DEFAULT_PARTITIONS },
      { topic: Topics.sla, partitions: DEFAULT_PARTITIONS },
      { topic: Topics.config, partitions: DEFAULT_PARTITIONS, compacted: true },
      { topic: Topics.deadLetter, partitions: DEFAULT_PARTITIONS },
    ]);
  } finally {
    await admin.disconnect();
  }
}
