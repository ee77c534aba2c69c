import { covers } from './rebuild';

const o = (topic: string, partition: number, nextOffset: string) => ({ topic, partition, nextOffset });

describe('covers', () => {
  it('holds when every live partition is reached or passed', () => {
    expect(covers([o('a', 0, '10'), o('a', 1, '7')], [o('a', 0, '10'), o('a', 1, '5')])).toBe(true);
    expect(covers([o('a', 0, '10')], [])).toBe(true);
  });

  it('fails when a partition is behind or missing', () => {
    expect(covers([o('a', 0, '9')], [o('a', 0, '10')])).toBe(false);
    expect(covers([o('a', 0, '10')], [o('a', 0, '10'), o('b', 0, '1')])).toBe(false);
  });

  it('compares offsets as 64-bit numbers, not strings', () => {
    expect(covers([o('a', 0, '10')], [o('a', 0, '9')])).toBe(true);
    expect(covers([o('a', 0, '9007199254740993')], [o('a', 0, '9007199254740992')])).toBe(true);
  });
});
