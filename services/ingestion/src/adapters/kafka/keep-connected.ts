import type { EnvelopeProducer } from '@switchboard/kafka';
import type { Logger } from '@switchboard/observability';

/**
 * Connects the producer, retrying with capped back-off until it succeeds, so the service starts (and
 * answers 503 with /readyz failing) while Kafka is down and becomes ready by itself when it returns.
 */
export function keepConnected(
  producer: EnvelopeProducer,
  logger: Logger,
  backoff = { initialMs: 200, maxMs: 5000 },
): { stop(): void; connected: Promise<void> } {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const connected = new Promise<void>((resolve) => {
    const attempt = (delayMs: number) => {
      if (stopped) return;
      producer.connect().then(
        () => {
          logger.info('Kafka producer connected');
          resolve();
        },
        (err: unknown) => {
          logger.warn({ err, retryInMs: delayMs }, 'Kafka producer cannot connect yet');
          timer = setTimeout(() => attempt(Math.min(delayMs * 2, backoff.maxMs)), delayMs);
        },
      );
    };
    attempt(backoff.initialMs);
  });
  return {
    connected,
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
