import { dirname, join } from 'node:path';
import { create } from '@bufbuild/protobuf';
import {
  credentials,
  loadPackageDefinition,
  makeClientConstructor,
  type ServiceDefinition,
} from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import {
  AgentService,
  ChannelCapacitySchema,
  QueueService,
  type WatchOffersResponse,
} from '@switchboard/contracts';
import { service as healthService } from 'grpc-health-check';
import {
  AppError,
  bearerAuth,
  createGrpcClient,
  createGrpcServer,
  type GrpcLogger,
  type GrpcServer,
  INTERNAL_CODE,
  type ServiceImpl,
  Status,
  TOKEN_INVALID,
  TOKEN_MISSING,
} from '../src/index';

interface Principal {
  tenantId: string;
}

const logged: Array<{ level: string; obj: object; msg?: string }> = [];
const logger: GrpcLogger = {
  debug: (obj, msg) => logged.push({ level: 'debug', obj, msg }),
  info: (obj, msg) => logged.push({ level: 'info', obj, msg }),
  warn: (obj, msg) => logged.push({ level: 'warn', obj, msg }),
  error: (obj, msg) => logged.push({ level: 'error', obj, msg }),
};

/** Resolves when the signal aborts: how handlers wait for "forever" without timers. */
function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

const serverSawAbort: string[] = [];

const queues: ServiceImpl<typeof QueueService, Principal> = {
  async listQueues(_req, ctx) {
    return { queues: [{ queueId: 'general', name: `general of ${ctx.principal.tenantId}` }] };
  },
  async getQueueStats(req, ctx) {
    if (req.queueId === '') {
      throw AppError.invalidArgument('RTG_ERR_INVALID_ARGUMENT', 'invalid GetQueueStats request', [
        { field: 'queue_id', description: 'must not be empty' },
      ]);
    }
    if (req.queueId === 'slow') {
      await aborted(ctx.signal);
      serverSawAbort.push(`slow:${ctx.deadline ? 'with-deadline' : 'no-deadline'}`);
      throw AppError.unavailable('RTG_ERR_TOO_LATE', 'nobody is listening any more');
    }
    if (req.queueId === 'boom') throw new Error('pg: password authentication failed, password=hunter2');
    return {
      stats: {
        queueId: req.queueId,
        name: `${req.queueId} of ${ctx.principal.tenantId}`,
        waiting: 7,
        waitingByPriority: [
          { priority: 10, waiting: 2 },
          { priority: 0, waiting: 5 },
        ],
        longestWaitSeconds: 42,
        agentsAvailable: 3,
      },
    };
  },
};

const accepted = (id: string) => ({ accepted: { commandId: id } });

const agents: ServiceImpl<typeof AgentService, Principal> = {
  setPresence: async () => accepted('presence'),
  setSkills: async () => accepted('skills'),
  setCapacity: async (req) => accepted(`capacity:${req.channels.length}:${req.total}`),
  acceptOffer: async (req) => accepted(`accept:${req.offerId}`),
  declineOffer: async (req) => accepted(`decline:${req.offerId}`),
  completeConversation: async (req) => accepted(`complete:${req.conversationId}`),
  transferConversation: async (req) => accepted(`transfer:${req.target.case}`),
  async *watchOffers(req, ctx) {
    for (let i = 1; i <= 3; i++) {
      yield {
        occurredAt: { seconds: BigInt(1_700_000_000 + i), nanos: 0 },
        update: {
          case: 'offered',
          value: {
            conversationId: `c${i}`,
            offerId: `o${i}`,
            agentId: req.agentId,
            queueId: ctx.principal.tenantId,
          },
        },
      };
    }
    if (req.agentId === 'stays') {
      await aborted(ctx.signal);
      serverSawAbort.push('watch');
    }
  },
};

const tokens: Record<string, Principal> = { 'tenant-1-token': { tenantId: 'tenant-1' } };

async function startServer(): Promise<{ server: GrpcServer<Principal>; address: string }> {
  const server = createGrpcServer<Principal>({ logger, authenticate: bearerAuth((t) => tokens[t]) })
    .addService(QueueService, queues)
    .addService(AgentService, agents);
  const port = await server.listen('127.0.0.1', 0);
  return { server, address: `127.0.0.1:${port}` };
}

async function rejection(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof AppError)) throw new Error(`expected an AppError, got ${String(err)}`);
  return err;
}

describe('gRPC round trip on a real server', () => {
  let server: GrpcServer<Principal>;
  let address: string;
  let queueClient: ReturnType<typeof createGrpcClient<typeof QueueService>>;
  let agentClient: ReturnType<typeof createGrpcClient<typeof AgentService>>;

  beforeAll(async () => {
    ({ server, address } = await startServer());
    queueClient = createGrpcClient(QueueService, address, { token: 'tenant-1-token' });
    agentClient = createGrpcClient(AgentService, address, { token: () => Promise.resolve('tenant-1-token') });
  });

  afterAll(async () => {
    queueClient.close();
    agentClient.close();
    await server.shutdown(1_000);
  });

  it('unary: GetQueueStats returns the typed response, with the principal from the token', async () => {
    const res = await queueClient.getQueueStats({ queueId: 'vip' });
    expect(res.$typeName).toBe('switchboard.routing.v1.GetQueueStatsResponse');
    expect(res.stats).toMatchObject({
      queueId: 'vip',
      name: 'vip of tenant-1',
      waiting: 7,
      longestWaitSeconds: 42,
    });
    expect(res.stats?.waitingByPriority.map((p) => [p.priority, p.waiting])).toEqual([
      [10, 2],
      [0, 5],
    ]);
  });

  it('unary: request messages built with create() work as well as init objects', async () => {
    const capacity = create(ChannelCapacitySchema, { capacity: 3 });
    const res = await agentClient.setCapacity({ agentId: 'a1', channels: [capacity], total: 4 });
    expect(res.accepted?.commandId).toBe('capacity:1:4');
    const transfer = await agentClient.transferConversation({
      target: { case: 'queueId', value: 'billing' },
    });
    expect(transfer.accepted?.commandId).toBe('transfer:queueId');
  });

  it('server streaming: WatchOffers yields every update in order', async () => {
    const seen: WatchOffersResponse[] = [];
    for await (const update of agentClient.watchOffers({ agentId: 'agent-7' })) seen.push(update);
    expect(seen.map((u) => (u.update.case === 'offered' ? u.update.value.offerId : u.update.case))).toEqual([
      'o1',
      'o2',
      'o3',
    ]);
    expect(seen[0]?.occurredAt?.seconds).toBe(1_700_000_001n);
    expect(seen[0]?.update.value).toMatchObject({ agentId: 'agent-7', queueId: 'tenant-1' });
  });

  it('server streaming: a consumer that stops early cancels the call and the handler sees it', async () => {
    for await (const update of agentClient.watchOffers({ agentId: 'stays' })) {
      expect(update.update.case).toBe('offered');
      break;
    }
    await waitFor(() => serverSawAbort.includes('watch'));
  });

  it('deadline exceeded: the client gets DEADLINE_EXCEEDED and the handler is aborted', async () => {
    const err = await rejection(queueClient.getQueueStats({ queueId: 'slow' }, { deadlineMs: 200 }));
    expect(err).toMatchObject({ status: Status.DEADLINE_EXCEEDED, code: 'GRPC_ERR_DEADLINE_EXCEEDED' });
    await waitFor(() => serverSawAbort.includes('slow:with-deadline'));
  });

  it('error details: INVALID_ARGUMENT arrives with its stable code and field violations', async () => {
    const err = await rejection(queueClient.getQueueStats({ queueId: '' }));
    expect(err).toMatchObject({
      status: Status.INVALID_ARGUMENT,
      code: 'RTG_ERR_INVALID_ARGUMENT',
      message: 'invalid GetQueueStats request',
      violations: [{ field: 'queue_id', description: 'must not be empty' }],
    });
  });

  it('unknown errors: INTERNAL, nothing leaked to the client, everything in the log', async () => {
    const err = await rejection(queueClient.getQueueStats({ queueId: 'boom' }));
    expect(err).toMatchObject({ status: Status.INTERNAL, code: INTERNAL_CODE, message: 'internal error' });
    expect(JSON.stringify(err)).not.toContain('hunter2');
    const entry = logged.find((l) => l.level === 'error') as { obj: { err?: Error } } | undefined;
    expect(entry?.obj.err?.message).toContain('password authentication failed');
  });

  it('unauthenticated: calls without a token or with an unknown one are rejected', async () => {
    const anonymous = createGrpcClient(QueueService, address);
    const impostor = createGrpcClient(AgentService, address, { token: 'stolen' });
    try {
      const missing = await rejection(anonymous.listQueues({}));
      expect(missing).toMatchObject({ status: Status.UNAUTHENTICATED, code: TOKEN_MISSING });
      const stream = impostor.watchOffers({ agentId: 'a1' });
      const invalid = await rejection(collect(stream));
      expect(invalid).toMatchObject({ status: Status.UNAUTHENTICATED, code: TOKEN_INVALID });
    } finally {
      anonymous.close();
      impostor.close();
    }
  });

  it('health: the server and each service report SERVING, and follow status changes', async () => {
    const Health = makeClientConstructor(healthService as unknown as ServiceDefinition, 'Health');
    const health = new Health(address, credentials.createInsecure()) as unknown as {
      check(req: { service: string }, cb: (err: Error | null, res?: { status: string }) => void): void;
      close(): void;
    };
    const check = (service: string) =>
      new Promise<string | undefined>((resolve, reject) =>
        health.check({ service }, (err, res) => (err ? reject(err) : resolve(res?.status))),
      );
    try {
      expect(await check('')).toBe('SERVING');
      expect(await check('switchboard.routing.v1.QueueService')).toBe('SERVING');
      server.setServingStatus(AgentService, 'NOT_SERVING');
      expect(await check('switchboard.routing.v1.AgentService')).toBe('NOT_SERVING');
      server.setServingStatus(AgentService, 'SERVING');
    } finally {
      health.close();
    }
  });

  it('reflection: lists the services and serves their file descriptors', async () => {
    const protoPath = join(
      dirname(require.resolve('@grpc/reflection')),
      '../proto/grpc/reflection/v1/reflection.proto',
    );
    const pkg = loadPackageDefinition(
      loadSync(protoPath, { keepCase: true, longs: String, oneofs: true }),
    ) as never as {
      grpc: { reflection: { v1: { ServerReflection: new (a: string, c: unknown) => ReflectionClient } } };
    };
    const client = new pkg.grpc.reflection.v1.ServerReflection(address, credentials.createInsecure());
    try {
      const list = await reflect(client, { list_services: '' });
      const names = list.list_services_response?.service.map((s) => s.name) ?? [];
      expect(names).toEqual(
        expect.arrayContaining([
          'switchboard.routing.v1.QueueService',
          'switchboard.routing.v1.AgentService',
        ]),
      );
      const files = await reflect(client, { file_containing_symbol: 'switchboard.routing.v1.AgentService' });
      expect(files.file_descriptor_response?.file_descriptor_proto.length).toBeGreaterThan(0);
    } finally {
      client.close();
    }
  });
});

describe('graceful shutdown', () => {
  it('ends open streams with UNAVAILABLE so that clients reconnect elsewhere', async () => {
    const { server, address } = await startServer();
    const client = createGrpcClient(AgentService, address, { token: 'tenant-1-token' });
    try {
      const stream = client.watchOffers({ agentId: 'stays' })[Symbol.asyncIterator]();
      expect((await stream.next()).done).toBe(false);
      const shutdown = server.shutdown(5_000);
      const err = await rejection(
        (async () => {
          for (;;) if ((await stream.next()).done) return;
        })(),
      );
      expect(err).toMatchObject({ status: Status.UNAVAILABLE, code: 'GRPC_ERR_SHUTTING_DOWN' });
      await shutdown;
    } finally {
      client.close();
    }
  });
});

interface ReflectionResponse {
  list_services_response?: { service: Array<{ name: string }> };
  file_descriptor_response?: { file_descriptor_proto: Buffer[] };
}

interface ReflectionClient {
  ServerReflectionInfo(): {
    write(req: object): void;
    end(): void;
    on(event: 'data', fn: (res: ReflectionResponse) => void): void;
    on(event: 'error', fn: (err: Error) => void): void;
  };
  close(): void;
}

function reflect(client: ReflectionClient, request: object): Promise<ReflectionResponse> {
  return new Promise((resolve, reject) => {
    const call = client.ServerReflectionInfo();
    call.on('data', (res) => {
      resolve(res);
      call.end();
    });
    call.on('error', reject);
    call.write(request);
  });
}

async function collect<T>(stream: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of stream) out.push(item);
  return out;
}

/** Polls a condition that another process (the server side of the call) makes true; jest's timeout bounds it. */
async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((r) => setImmediate(r));
}
