import type { TopicSpec } from '@switchboard/kafka';
import type { SlaTopics } from '../../config';

const DAY = 86_400_000;
/** A partition snapshot is one record; millions of clocks need more than the 1 MB default. */
const SNAPSHOT_MAX_BYTES = String(64 * 1024 * 1024);

/** Topics the sla-timer reads and writes, as created when missing (docs/topics.md). */
export function slaTopicSpecs(topics: SlaTopics, partitions: number): TopicSpec[] {
  return [
    { topic: topics.conversations, partitions, retentionMs: 7 * DAY },
    { topic: topics.routing, partitions, retentionMs: 30 * DAY },
    { topic: topics.config, partitions, compacted: true },
    { topic: topics.ticks, partitions, retentionMs: DAY },
    { topic: topics.sla, partitions, retentionMs: 30 * DAY },
    {
      topic: topics.snapshots,
      partitions: 1,
      compacted: true,
      configs: { 'max.message.bytes': SNAPSHOT_MAX_BYTES },
    },
    { topic: topics.deadLetter, partitions: 1, retentionMs: 30 * DAY },
  ];
}
