import {
  type Attributes,
  type Meter,
  type MeterProvider,
  metrics,
  type ObservableResult,
} from '@opentelemetry/api';
import { onMeterProviderChange } from './meter-provider-change';

export interface InstrumentOpts {
  /** UCUM unit, e.g. `s`, `ms`, `By`, `{event}`. */
  unit?: string;
}

export interface HistogramOpts extends InstrumentOpts {
  /** Explicit bucket boundaries (advice to the SDK). */
  buckets?: number[];
}

export interface CounterLike {
  add(value: number, attributes?: Attributes): void;
}

export interface RecorderLike {
  record(value: number, attributes?: Attributes): void;
}

export type Observation = number | ReadonlyArray<{ value: number; attributes?: Attributes }>;

export interface ServiceMeter {
  /** Monotonic count (Prometheus `_total`). */
  counter(name: string, help: string, opts?: InstrumentOpts): CounterLike;
  /** A count that goes up and down (in-flight requests, queue depth). */
  upDownCounter(name: string, help: string, opts?: InstrumentOpts): CounterLike;
  /** `opts` may also be just the bucket boundaries. */
  histogram(name: string, help: string, opts?: HistogramOpts | number[]): RecorderLike;
  /** Last recorded value. */
  gauge(name: string, help: string, opts?: InstrumentOpts): RecorderLike;
  /** Value read at collection time (lag, pending timers). */
  observableGauge(name: string, help: string, observe: () => Observation, opts?: InstrumentOpts): void;
}

/**
 * A thin wrapper on the OpenTelemetry metrics API for one service. Instruments may be created at module
 * load, before `startTelemetry`: they re-bind when the global meter provider is set.
 */
export function serviceMeter(service: string, provider?: MeterProvider): ServiceMeter {
  const meterName = `switchboard.${service}`;
  const meter = (): Meter => (provider ?? metrics.getMeterProvider()).getMeter(meterName);

  function bound<T>(make: (m: Meter) => T): () => T {
    let current = make(meter());
    if (!provider) onMeterProviderChange(() => (current = make(meter())));
    return () => current;
  }

  return {
    counter(name, help, opts = {}) {
      const get = bound((m) => m.createCounter(name, { description: help, ...unit(opts) }));
      return { add: (value, attributes) => get().add(value, attributes) };
    },
    upDownCounter(name, help, opts = {}) {
      const get = bound((m) => m.createUpDownCounter(name, { description: help, ...unit(opts) }));
      return { add: (value, attributes) => get().add(value, attributes) };
    },
    histogram(name, help, optsOrBuckets = {}) {
      const opts = Array.isArray(optsOrBuckets) ? { buckets: optsOrBuckets } : optsOrBuckets;
      const advice = opts.buckets ? { advice: { explicitBucketBoundaries: opts.buckets } } : {};
      const get = bound((m) => m.createHistogram(name, { description: help, ...unit(opts), ...advice }));
      return { record: (value, attributes) => get().record(value, attributes) };
    },
    gauge(name, help, opts = {}) {
      const get = bound((m) => m.createGauge(name, { description: help, ...unit(opts) }));
      return { record: (value, attributes) => get().record(value, attributes) };
    },
    observableGauge(name, help, observe, opts = {}) {
      const callback = (result: ObservableResult) => {
        const seen = observe();
        if (typeof seen === 'number') result.observe(seen);
        else for (const o of seen) result.observe(o.value, o.attributes);
      };
      bound((m) => m.createObservableGauge(name, { description: help, ...unit(opts) }).addCallback(callback));
    },
  };
}

function unit(opts: InstrumentOpts): { unit?: string } {
  return opts.unit ? { unit: opts.unit } : {};
}
