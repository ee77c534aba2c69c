// gRPC round trips on localhost through this library: unary calls (with bearer auth and the protobuf-es
// codec) at fixed concurrency, and one server stream. Prints figures; the last line is key=value.
import { performance } from 'node:perf_hooks';
import { AgentService, QueueService } from '@switchboard/contracts';
import { bearerAuth, createGrpcClient, createGrpcServer, type GrpcLogger } from '../src/index';

const UNARY_CALLS = Number(process.argv[2] ?? 20_000);
const CONCURRENCY = Number(process.argv[3] ?? 64);
const STREAM_MESSAGES = Number(process.argv[4] ?? 100_000);

const quiet: GrpcLogger = { debug() {}, info() {}, warn() {}, error() {} };
const noop = async () => ({ accepted: { commandId: 'x' } });

async function main(): Promise<void> {
  const server = createGrpcServer<{ tenantId: string }>({
    logger: quiet,
    authenticate: bearerAuth((t) => (t === 'bench' ? { tenantId: 't1' } : undefined)),
  })
    .addService(QueueService, {
      listQueues: async () => ({ queues: [] }),
      getQueueStats: async (req, ctx) => ({
        stats: {
          queueId: req.queueId,
          name: ctx.principal.tenantId,
          waiting: 5,
          waitingByPriority: [{ priority: 1, waiting: 5 }],
        },
      }),
    })
    .addService(AgentService, {
      setPresence: noop,
      setSkills: noop,
      setCapacity: noop,
      acceptOffer: noop,
      declineOffer: noop,
      completeConversation: noop,
      transferConversation: noop,
      async *watchOffers(req) {
        for (let i = 0; i < STREAM_MESSAGES; i++) {
          yield {
            update: {
              case: 'offered',
              value: { conversationId: `c${i}`, offerId: `o${i}`, agentId: req.agentId },
            },
          };
        }
      },
    });
  const port = await server.listen('127.0.0.1', 0);
  const queues = createGrpcClient(QueueService, `127.0.0.1:${port}`, { token: 'bench' });
  const agents = createGrpcClient(AgentService, `127.0.0.1:${port}`, { token: 'bench' });

  for (let i = 0; i < 2_000; i++) await queues.getQueueStats({ queueId: 'warm' });

  const latencies: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < UNARY_CALLS) {
      next++;
      const t0 = performance.now();
      await queues.getQueueStats({ queueId: 'q1' });
      latencies.push(performance.now() - t0);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const unarySeconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? 0;

  const streamStarted = performance.now();
  let received = 0;
  for await (const _ of agents.watchOffers({ agentId: 'a1' })) received++;
  const streamSeconds = (performance.now() - streamStarted) / 1000;

  queues.close();
  agents.close();
  await server.shutdown(1_000);

  const unaryPerSec = Math.round(latencies.length / unarySeconds);
  const streamPerSec = Math.round(received / streamSeconds);
  console.log(
    `unary GetQueueStats: ${latencies.length} calls, concurrency ${CONCURRENCY}, ${unaryPerSec} calls/s`,
  );
  console.log(`  latency p50 ${pct(0.5).toFixed(2)} ms, p99 ${pct(0.99).toFixed(2)} ms`);
  console.log(`server stream WatchOffers: ${received} messages, ${streamPerSec} msgs/s`);
  console.log(
    `unary_calls_per_s=${unaryPerSec} unary_p50_ms=${pct(0.5).toFixed(2)} unary_p99_ms=${pct(0.99).toFixed(2)} stream_msgs_per_s=${streamPerSec}`,
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
