import { diffAssignment, flattenAssignment, nextOffset, partitionKey } from './assignment';

describe('assignment helpers', () => {
  it('flattens a kafkajs member assignment sorted by topic then partition', () => {
    expect(flattenAssignment({ b: [1, 0], a: [2] })).toEqual([
      { topic: 'a', partition: 2 },
      { topic: 'b', partition: 0 },
      { topic: 'b', partition: 1 },
    ]);
  });

  it('given a rebalance, then it reports what was added and what was taken away', () => {
    const before = flattenAssignment({ in: [0, 1, 2] });
    const after = flattenAssignment({ in: [2, 3] });
    expect(diffAssignment(before, after)).toEqual({
      assigned: [{ topic: 'in', partition: 3 }],
      revoked: [
        { topic: 'in', partition: 0 },
        { topic: 'in', partition: 1 },
      ],
    });
  });

  it('reports nothing when the assignment did not change', () => {
    const same = flattenAssignment({ in: [0] });
    expect(diffAssignment(same, same)).toEqual({ assigned: [], revoked: [] });
  });

  it('computes the next offset beyond 2^53 exactly', () => {
    expect(nextOffset('9007199254740993')).toBe('9007199254740994');
    expect(nextOffset('0')).toBe('1');
  });

  it('keys partitions by topic and number', () => {
    expect(partitionKey({ topic: 't', partition: 3 })).toBe('t:3');
  });
});
