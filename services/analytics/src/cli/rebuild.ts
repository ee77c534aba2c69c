// `pnpm --filter @switchboard/analytics rebuild [--no-swap] [--keep-retired]`: replays the whole log
// into a fresh schema and swaps it in without downtime for readers. Progress goes to stderr.
import { kafkaConnection } from '@switchboard/config';
import { createKafka } from '@switchboard/kafka';
import { createLogger } from '@switchboard/observability';
import { rebuild } from '../adapters/rebuild';
import { PROJECTED_TOPICS } from '../app';
import { loadAnalyticsConfig, roleNames } from '../config';
import { progressLine } from '../domain/progress';

async function main(): Promise<void> {
  const args = new Set(process.argv.slice(2));
  const config = loadAnalyticsConfig();
  const logger = createLogger({
    service: 'analytics-rebuild',
    level: config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL,
  });
  const tty = process.stderr.isTTY;
  let lastPrint = 0;
  const result = await rebuild({
    databaseUrl: config.DATABASE_URL,
    roles: roleNames(config.ANALYTICS_ROLE_PREFIX),
    kafka: createKafka(kafkaConnection(config), logger),
    logger,
    liveSchema: config.ANALYTICS_SCHEMA,
    groupId: config.ANALYTICS_GROUP_ID,
    topics: PROJECTED_TOPICS,
    stamp: String(Date.now()),
    swap: !args.has('--no-swap'),
    keepRetired: args.has('--keep-retired'),
    onProgress: (p) => {
      const t = Date.now();
      if (!tty && t - lastPrint < 2000) return;
      lastPrint = t;
      const line = `${p.phase.padEnd(9)} ${progressLine(p.done, p.total, p.elapsedMs)}`;
      process.stderr.write(tty ? `\r${line}\u001b[K` : `${line}\n`);
    },
  });
  process.stderr.write('\n');
  const perSecond = Math.round((result.events * 1000) / Math.max(1, result.replayMs + result.recomputeMs));
  process.stdout.write(
    `rebuilt ${result.events} events into ${result.schema} (retired: ${result.retiredSchema ?? 'none'}): ` +
      `replay ${result.replayMs} ms, recompute ${result.recomputeMs} ms, swap ${result.swapMs} ms, ${perSecond} events/s\n`,
  );
  process.exit(0);
}

main().catch((err) => {
  process.stderr.write(`\nrebuild failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
