import type { Envelope } from '@switchboard/contracts';
import type { EventSink, IngestionMetrics } from '../ports';

/**
 * An in-memory event log behind the EventSink port, for unit tests and local experiments. Writes can
 * be made to fail or to hang to exercise the unavailable paths.
 */
export class MemorySink implements EventSink {
  readonly written: Envelope[][] = [];
  ready = true;
  mode: 'ok' | 'fail' | 'hang' = 'ok';
  private readonly hanging: (() => void)[] = [];

  publish(envelopes: Envelope[]): Promise<void> {
    if (this.mode === 'fail') return Promise.reject(new Error('broker unreachable'));
    if (this.mode === 'hang') return new Promise((resolve) => this.hanging.push(resolve));
    this.written.push(envelopes);
    return Promise.resolve();
  }

  isReady(): boolean {
    return this.ready;
  }

  async close(): Promise<void> {
    this.release();
  }

  /** Lets hanging writes finish without storing them (as if they timed out at the broker). */
  release(): void {
    for (const resolve of this.hanging.splice(0)) resolve();
  }

  /** Writes waiting in 'hang' mode. */
  get pending(): number {
    return this.hanging.length;
  }

  get all(): Envelope[] {
    return this.written.flat();
  }
}

/** Counts what the app reports, so tests can check it. */
export class RecordingMetrics implements IngestionMetrics {
  acceptedEvents = 0;
  readonly rejections: string[] = [];
  readonly publishes: string[] = [];

  accepted(events: number): void {
    this.acceptedEvents += events;
  }
  rejected(code: string): void {
    this.rejections.push(code);
  }
  publishSeconds(_seconds: number, outcome: string): void {
    this.publishes.push(outcome);
  }
}
