import { type LogEntry, logLevel } from 'kafkajs';
import type { Logger } from 'pino';

/** kafkajs logs retried request errors at ERROR although it retries them; those are warnings for us. */
const RETRIED_RESPONSE = /^Response /;
/**
 * Logged for every coalescing producer: its retries are bounded on purpose (a dead broker must give
 * an error in bounded time); callers retry and downstream dedupes by event id.
 */
const BOUNDED_RETRIES = /^Limiting retries for the idempotent producer/;

/** kafkajs `logCreator` writing to a pino child logger (component=kafkajs). */
export function pinoLogCreator(logger: Logger) {
  const base = logger.child({ component: 'kafkajs' });
  return () =>
    ({ namespace, level, log }: LogEntry) => {
      const { message, timestamp: _timestamp, logger: _logger, ...extra } = log;
      const fields = { namespace, ...extra };
      switch (level) {
        case logLevel.ERROR:
          if (RETRIED_RESPONSE.test(message)) base.warn(fields, message);
          else base.error(fields, message);
          break;
        case logLevel.WARN:
          if (BOUNDED_RETRIES.test(message)) base.debug(fields, message);
          else base.warn(fields, message);
          break;
        case logLevel.INFO:
          base.info(fields, message);
          break;
        default:
          base.debug(fields, message);
      }
    };
}

/** The kafkajs level that lets through what the pino logger would print. */
export function kafkajsLevel(logger: Logger): logLevel {
  if (logger.isLevelEnabled('debug')) return logLevel.DEBUG;
  if (logger.isLevelEnabled('info')) return logLevel.INFO;
  if (logger.isLevelEnabled('warn')) return logLevel.WARN;
  if (logger.isLevelEnabled('error')) return logLevel.ERROR;
  return logLevel.NOTHING;
}
