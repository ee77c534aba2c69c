import { AssignerProtocol } from 'kafkajs';
import { assignPartition, CoPartitionedAssigner } from './co-partitioned-assigner';

describe('co-partitioned assigner', () => {
  const cluster = {
    findTopicPartitionMetadata: (topic: string) =>
      Array.from({ length: topic === 'in-a' || topic === 'in-b' ? 6 : 0 }, (_, partitionId) => ({
        partitionId,
      })),
  };
  // biome-ignore lint/suspicious/noExplicitAny: the assigner only reads findTopicPartitionMetadata
  const assigner = CoPartitionedAssigner({ cluster: cluster as any, groupId: 'g', logger: undefined as any });

  it('gives partition p of every topic to the same member', async () => {
    const result = await assigner.assign({
      members: [{ memberId: 'm-2' }, { memberId: 'm-1' }].map((m) => ({
        ...m,
        memberMetadata: Buffer.alloc(0),
      })),
      topics: ['in-a', 'in-b'],
    });
    const decoded = Object.fromEntries(
      result.map((r) => [
        r.memberId,
        AssignerProtocol.MemberAssignment.decode(r.memberAssignment)!.assignment,
      ]),
    );
    expect(decoded['m-1']).toEqual({ 'in-a': [0, 2, 4], 'in-b': [0, 2, 4] });
    expect(decoded['m-2']).toEqual({ 'in-a': [1, 3, 5], 'in-b': [1, 3, 5] });
  });

  it('spreads partitions evenly and deterministically', () => {
    const members = ['a', 'b', 'c'];
    const owners = Array.from({ length: 12 }, (_, p) => assignPartition(p, members));
    expect(owners.filter((o) => o === 'a')).toHaveLength(4);
    expect(owners).toEqual(Array.from({ length: 12 }, (_, p) => assignPartition(p, [...members])));
  });
});
