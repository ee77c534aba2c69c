import type { EnvelopeProducer } from '@switchboard/kafka';
import { createLogger } from '@switchboard/observability';
import { keepConnected } from './keep-connected';

const logger = createLogger({ service: 'test', level: 'silent' });

function producerFailing(times: number): EnvelopeProducer & { attempts: number } {
  const producer = {
    attempts: 0,
    connected: false,
    async connect() {
      producer.attempts++;
      if (producer.attempts <= times) throw new Error('no broker');
      producer.connected = true;
    },
    disconnect: async () => {},
    isConnected: () => producer.connected,
    send: async () => {},
    sendRaw: async () => {},
  };
  return producer;
}

describe('keepConnected', () => {
  it('retries until the producer connects', async () => {
    const producer = producerFailing(3);

    await keepConnected(producer, logger, { initialMs: 1, maxMs: 2 }).connected;

    expect(producer.attempts).toBe(4);
    expect(producer.isConnected()).toBe(true);
  });

  it('stops retrying once stopped', async () => {
    const producer = producerFailing(Number.POSITIVE_INFINITY);
    const connection = keepConnected(producer, logger, { initialMs: 1, maxMs: 1 });
    while (producer.attempts < 2) await new Promise((resolve) => setTimeout(resolve, 1));

    connection.stop();
    const attempts = producer.attempts;
    await new Promise((resolve) => setTimeout(resolve, 20));

    expect(producer.attempts).toBeLessThanOrEqual(attempts + 1);
  });
});
