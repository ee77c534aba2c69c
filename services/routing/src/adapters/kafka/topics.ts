import type { TopicSpec } from '@switchboard/kafka';
import type { RoutingTopics } from '../../config';

const DAY_MS = 86_400_000;

/** The topics routing reads and writes, as docs/topics.md describes them. */
export function routingTopicSpecs(topics: RoutingTopics, partitions: number): TopicSpec[] {
  return [
    { topic: topics.conversations, partitions, retentionMs: 7 * DAY_MS },
    { topic: topics.agentCommands, partitions, retentionMs: 7 * DAY_MS },
    { topic: topics.config, partitions, compacted: true },
    { topic: topics.sla, partitions, retentionMs: 30 * DAY_MS },
    { topic: topics.routing, partitions, retentionMs: 30 * DAY_MS },
    // Large tenants make large snapshots: allow records up to 64 MiB on this topic.
    {
      topic: topics.snapshots,
      partitions: 1,
      compacted: true,
      configs: { 'max.message.bytes': String(64 * 1024 * 1024) },
    },
    { topic: topics.deadLetter, partitions: 1, retentionMs: 30 * DAY_MS },
  ];
}
