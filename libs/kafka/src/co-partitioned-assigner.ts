import { AssignerProtocol, type PartitionAssigner } from 'kafkajs';

/**
 * Assigns partition p of EVERY subscribed topic to the same member (member index p mod n, members
 * sorted by id). Processors keep one state per partition number fed by several input topics (routing:
 * conversations, agent commands, config, SLA), so those must never be split across owners — kafkajs'
 * round-robin assigner would. Members must subscribe to the same topics with equal partition counts.
 */
export function assignPartition(partition: number, sortedMembers: readonly string[]): string {
  return sortedMembers[partition % sortedMembers.length]!;
}

export const CoPartitionedAssigner: PartitionAssigner = ({ cluster }) => ({
  name: 'SwitchboardCoPartitioned',
  version: 1,
  async assign({ members, topics }) {
    const sorted = members.map((m) => m.memberId).sort();
    const assignment = new Map<string, Record<string, number[]>>(sorted.map((id) => [id, {}]));
    for (const topic of topics) {
      for (const { partitionId } of cluster.findTopicPartitionMetadata(topic)) {
        const owner = assignment.get(assignPartition(partitionId, sorted))!;
        owner[topic] = [...(owner[topic] ?? []), partitionId];
      }
    }
    return [...assignment].map(([memberId, topicPartitions]) => ({
      memberId,
      memberAssignment: AssignerProtocol.MemberAssignment.encode({
        version: 1,
        assignment: topicPartitions,
        userData: Buffer.alloc(0),
      }),
    }));
  },
  protocol({ topics }) {
    return {
      name: 'SwitchboardCoPartitioned',
      metadata: AssignerProtocol.MemberMetadata.encode({ version: 1, topics, userData: Buffer.alloc(0) }),
    };
  },
});
