import type { Envelope } from '@switchboard/contracts';
import { IngestionError } from './errors';
import type { EventSink, IngestionMetrics } from './ports';

export interface PublishLimits {
  /** Longest wait for the sink before answering 503; the write may still complete afterwards. */
  publishTimeoutMs: number;
  /** Events handed to the sink and not yet settled; beyond this, requests are shed with 503. */
  maxInFlightEvents: number;
  /** Advised in Retry-After when the sink is unavailable or full. */
  retryAfterSeconds: number;
}

// The Kafka library's code for its back-pressure bound (libs/kafka).
const BUFFER_FULL = 'KAFKA_ERR_BUFFER_FULL';

/**
 * Bounds what the service holds for the sink in memory and in time. A 503 here never means "lost":
 * the client retries with the same event ids and downstream drops duplicates.
 */
export class BoundedPublisher {
  private inFlight = 0;

  constructor(
    private readonly sink: EventSink,
    private readonly limits: PublishLimits,
    private readonly metrics: IngestionMetrics,
    private readonly clock: () => number,
  ) {}

  get eventsInFlight(): number {
    return this.inFlight;
  }

  async publish(envelopes: Envelope[]): Promise<void> {
    const { maxInFlightEvents, retryAfterSeconds, publishTimeoutMs } = this.limits;
    if (this.inFlight > 0 && this.inFlight + envelopes.length > maxInFlightEvents) {
      throw new IngestionError('ING_ERR_OVERLOADED', 'too many events waiting for Kafka; retry later', [], {
        retryAfterSeconds,
      });
    }
    this.inFlight += envelopes.length;
    const started = this.clock();
    const write = this.sink.publish(envelopes).finally(() => {
      this.inFlight -= envelopes.length;
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), publishTimeoutMs);
    });
    try {
      const outcome = await Promise.race([write.then(() => 'ok' as const), timeout]);
      this.metrics.publishSeconds((this.clock() - started) / 1000, outcome);
      if (outcome === 'timeout') {
        // Keep the late settlement from surfacing as an unhandled rejection.
        write.catch(() => undefined);
        throw new IngestionError(
          'ING_ERR_KAFKA_UNAVAILABLE',
          `Kafka did not acknowledge within ${publishTimeoutMs} ms; retry later`,
          [],
          { retryAfterSeconds },
        );
      }
    } catch (err) {
      if (err instanceof IngestionError) throw err;
      this.metrics.publishSeconds((this.clock() - started) / 1000, 'error');
      const full = (err as { code?: unknown }).code === BUFFER_FULL;
      throw new IngestionError(
        full ? 'ING_ERR_OVERLOADED' : 'ING_ERR_KAFKA_UNAVAILABLE',
        full
          ? 'the Kafka producer buffer is full; retry later'
          : 'Kafka did not accept the events; retry later',
        [],
        { retryAfterSeconds, cause: err },
      );
    } finally {
      clearTimeout(timer);
    }
  }
}
