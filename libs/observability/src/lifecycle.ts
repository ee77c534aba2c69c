import type { Logger } from 'pino';

export interface StopOnSignalsOptions {
  logger: Logger;
  /** Drains and closes the service; the process exits 0 when it resolves, 1 when it rejects. */
  stop: () => Promise<void>;
  /** Exit 1 if stopping takes longer than this (none by default). */
  graceMs?: number;
  /** For tests. */
  exit?: (code: number) => void;
  signals?: NodeJS.Signals[];
}

/**
 * The shutdown every service does the same way: on the first SIGTERM or SIGINT, log it, run `stop`
 * once, then exit with 0 (clean) or 1 (failed or over the grace period). Returns the handler.
 */
export function stopOnSignals(opts: StopOnSignalsOptions): (signal: string) => void {
  const exit = opts.exit ?? ((code: number) => process.exit(code));
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    opts.logger.info({ signal }, 'shutting down');
    if (opts.graceMs !== undefined) {
      setTimeout(() => {
        opts.logger.error({ graceMs: opts.graceMs }, 'shutdown took too long; exiting');
        exit(1);
      }, opts.graceMs).unref();
    }
    opts.stop().then(
      () => exit(0),
      (err: unknown) => {
        opts.logger.error({ err }, 'shutdown failed');
        exit(1);
      },
    );
  };
  for (const signal of opts.signals ?? ['SIGTERM', 'SIGINT']) process.once(signal, () => shutdown(signal));
  return shutdown;
}

/** Runs a composition root; a start-up failure is printed with its stack and exits 1. */
export function runMain(service: string, main: () => Promise<void>): void {
  main().catch((err: unknown) => {
    process.stderr.write(
      `${service} failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exit(1);
  });
}
