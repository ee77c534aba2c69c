import { newEnvelope } from '@switchboard/contracts';
import { BoundedPublisher } from './bounded-publisher';
import { IngestionError } from './errors';
import type { EventSink } from './ports';
import { MemorySink, RecordingMetrics } from './testing/memory-sink';

const envelope = (id: string) =>
  newEnvelope({
    eventId: id,
    tenantId: 't',
    aggregateId: 'c',
    occurredAtMs: 1,
    source: 's',
    payload: { case: undefined },
  });
const limits = { publishTimeoutMs: 50, maxInFlightEvents: 4, retryAfterSeconds: 3 };

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (err) {
    expect(err).toBeInstanceOf(IngestionError);
    return (err as IngestionError).code;
  }
}

describe('BoundedPublisher', () => {
  it('releases the in-flight count once a timed-out write settles late', async () => {
    const sink = new MemorySink();
    sink.mode = 'hang';
    const publisher = new BoundedPublisher(sink, limits, new RecordingMetrics(), () => 0);

    const code = await codeOf(publisher.publish([envelope('a'), envelope('b')]));
    expect(code).toBe('ING_ERR_KAFKA_UNAVAILABLE');
    expect(publisher.eventsInFlight).toBe(2);

    sink.release();
    await new Promise((resolve) => setImmediate(resolve));
    expect(publisher.eventsInFlight).toBe(0);
  });

  it('lets one request larger than the bound through when nothing else is in flight', async () => {
    const sink = new MemorySink();
    const publisher = new BoundedPublisher(sink, limits, new RecordingMetrics(), () => 0);

    await publisher.publish(['a', 'b', 'c', 'd', 'e', 'f'].map(envelope));

    expect(sink.all).toHaveLength(6);
  });

  it("maps the producer's buffer-full error to ING_ERR_OVERLOADED with Retry-After", async () => {
    const full: EventSink = {
      publish: () =>
        Promise.reject(Object.assign(new Error('buffer full'), { code: 'KAFKA_ERR_BUFFER_FULL' })),
      isReady: () => true,
      close: async () => {},
    };
    const publisher = new BoundedPublisher(full, limits, new RecordingMetrics(), () => 0);

    const err = await publisher.publish([envelope('a')]).catch((e: unknown) => e as IngestionError);

    expect(err).toMatchObject({ code: 'ING_ERR_OVERLOADED', retryAfterSeconds: 3 });
    expect(String((err as IngestionError).message)).not.toContain('buffer full');
  });
});
