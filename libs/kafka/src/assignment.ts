import type { TopicPartition } from './types';

/** `topic:partition`, the map key used for per-partition state. */
export function partitionKey(tp: TopicPartition): string {
  return `${tp.topic}:${tp.partition}`;
}

/** kafkajs member assignment (`{ topic: [partitions] }`) as a sorted list. */
export function flattenAssignment(assignment: Record<string, number[]>): TopicPartition[] {
  const out: TopicPartition[] = [];
  for (const [topic, partitions] of Object.entries(assignment)) {
    for (const partition of partitions) out.push({ topic, partition });
  }
  return out.sort((a, b) => (a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1));
}

/** What a new assignment takes away and adds compared with the previous one. */
export function diffAssignment(
  previous: TopicPartition[],
  next: TopicPartition[],
): { assigned: TopicPartition[]; revoked: TopicPartition[] } {
  const before = new Set(previous.map(partitionKey));
  const after = new Set(next.map(partitionKey));
  return {
    assigned: next.filter((tp) => !before.has(partitionKey(tp))),
    revoked: previous.filter((tp) => !after.has(partitionKey(tp))),
  };
}

/** The offset after `offset` (Kafka offsets are int64 strings). */
export function nextOffset(offset: string): string {
  return (BigInt(offset) + 1n).toString();
}
