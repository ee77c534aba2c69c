import { murmur2, partitionOf } from './partitioner';

describe('partitionOf', () => {
  it('hashes like the Java client (Kafka UtilsTest vectors)', () => {
    const cases: [string, number][] = [
      ['21', -973932308],
      ['foobar', -790332482],
      ['a-little-bit-long-string', -985981536],
      ['a-little-bit-longer-string', -1486304829],
      ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
      ['abc', 479470107],
    ];
    for (const [key, hash] of cases) expect(murmur2(Buffer.from(key))).toBe(hash);
  });

  it('maps a key to a partition in range', () => {
    for (const key of ['acme', 'globex', 'tenant-42', ''])
      expect(partitionOf(key, 12)).toBe((murmur2(Buffer.from(key)) & 0x7fffffff) % 12);
  });
});
