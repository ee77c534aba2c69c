import pino from 'pino';
import { stopOnSignals } from './lifecycle';

const logger = pino({ level: 'silent' });
const settle = () => new Promise((r) => setImmediate(r));

describe('stopOnSignals', () => {
  it('stops once however many signals arrive, then exits 0', async () => {
    const exits: number[] = [];
    let stops = 0;
    const shutdown = stopOnSignals({
      logger,
      stop: async () => void stops++,
      exit: (c) => exits.push(c),
      signals: [],
    });
    shutdown('SIGTERM');
    shutdown('SIGINT');
    await settle();
    expect(stops).toBe(1);
    expect(exits).toEqual([0]);
  });

  it('exits 1 when stopping fails', async () => {
    const exits: number[] = [];
    const shutdown = stopOnSignals({
      logger,
      stop: async () => {
        throw new Error('flush failed');
      },
      exit: (c) => exits.push(c),
      signals: [],
    });
    shutdown('SIGTERM');
    await settle();
    expect(exits).toEqual([1]);
  });
});
