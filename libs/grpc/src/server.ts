import { readFileSync } from 'node:fs';
import type { DescFile, DescMethod, DescService } from '@bufbuild/protobuf';
import { toBinary } from '@bufbuild/protobuf';
import { FileDescriptorProtoSchema } from '@bufbuild/protobuf/wkt';
import {
  type handleServerStreamingCall,
  type handleUnaryCall,
  Server,
  ServerCredentials,
  type ServerUnaryCall,
  type ServerWritableStream,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import { ReflectionService } from '@grpc/reflection';
import { HealthImplementation, type ServingStatus } from 'grpc-health-check';
import { AppError, Status } from './app-error';
import type { Authenticate } from './auth';
import type { GrpcLogger } from './logger';
import { serviceDefinition } from './service-definition';
import { toErrorStatus } from './status-details';
import type { CallContext, ServiceImpl } from './types';

export interface TlsFiles {
  certFile: string;
  keyFile: string;
  /** When set, clients must present a certificate signed by this CA (mutual TLS). */
  caFile?: string;
}

export interface GrpcServerOpts<P> {
  logger: GrpcLogger;
  tls?: TlsFiles;
  /** Runs before every handler of the services added with `addService` (not health or reflection). */
  authenticate?: Authenticate<P>;
  /** Serve gRPC server reflection for grpcurl (default true). */
  reflection?: boolean;
  /** grpc-js server options, e.g. `grpc.max_receive_message_length`. */
  channelOptions?: Record<string, unknown>;
}

export interface GrpcServer<P> {
  /** Registers a service; its health status starts SERVING. Call before `listen`. */
  addService<S extends DescService>(service: S, impl: ServiceImpl<S, P>): GrpcServer<P>;
  /** Sets the health status of one service (by descriptor or full name; '' is the whole server). */
  setServingStatus(service: DescService | string, status: ServingStatus): void;
  /** Binds and starts serving; resolves with the bound port (useful with port 0). */
  listen(host: string, port: number): Promise<number>;
  /** Reports NOT_SERVING, ends open streams with UNAVAILABLE, waits up to `graceMs` for calls, then forces. */
  shutdown(graceMs: number): Promise<void>;
  /** The underlying grpc-js server, for what this wrapper does not cover. */
  readonly server: Server;
}

const SHUTDOWN = Symbol('shutdown');

type SurfaceCall = Pick<ServerUnaryCall<object, object>, 'metadata' | 'getDeadline' | 'getPeer'>;

/** A gRPC server for protobuf-es service descriptors, with health, reflection, auth and error mapping. */
export function createGrpcServer<P = undefined>(opts: GrpcServerOpts<P>): GrpcServer<P> {
  const server = new Server(opts.channelOptions);
  const health = new HealthImplementation({ '': 'NOT_SERVING' });
  const services: DescService[] = [];
  const inflight = new Set<AbortController>();
  let listening = false;

  const context = (call: SurfaceCall, method: DescMethod, signal: AbortSignal) => ({
    method,
    metadata: call.metadata,
    deadline: deadlineOf(call.getDeadline()),
    signal,
    peer: call.getPeer(),
  });

  const principalOf = async (call: SurfaceCall, method: DescMethod): Promise<P> =>
    opts.authenticate ? opts.authenticate(call.metadata, method) : (undefined as P);

  /** Logs what the client will not see: internal failures in full, expected ones briefly. */
  const report = (err: unknown, method: DescMethod) => {
    const path = `${method.parent.typeName}/${method.name}`;
    if (err instanceof AppError && err.status !== Status.INTERNAL && err.status !== Status.UNKNOWN) {
      opts.logger.debug({ rpc: path, code: err.code, status: Status[err.status] }, 'rpc failed');
    } else {
      opts.logger.error({ rpc: path, err }, 'rpc failed with an internal error');
    }
  };

  /** The status for a failed call; whatever a handler throws because of shutdown reads as UNAVAILABLE. */
  const failure = (err: unknown, signal: AbortSignal, method: DescMethod) => {
    if (signal.reason === SHUTDOWN) return toErrorStatus(shuttingDown());
    report(err, method);
    return toErrorStatus(err);
  };

  const track = (call: { on(event: 'cancelled', fn: () => void): unknown }) => {
    const controller = new AbortController();
    inflight.add(controller);
    call.on('cancelled', () =>
      controller.abort(new AppError(Status.CANCELLED, 'GRPC_ERR_CANCELLED', 'cancelled')),
    );
    return { controller, done: () => inflight.delete(controller) };
  };

  function unary(
    method: DescMethod,
    handler: (req: object, ctx: CallContext<P>) => unknown,
  ): handleUnaryCall<object, object> {
    return (call, callback) => {
      const { controller, done } = track(call);
      void (async () => {
        const principal = await principalOf(call, method);
        return handler(call.request, { ...context(call, method, controller.signal), principal });
      })().then(
        (response) => {
          done();
          callback(null, response as object);
        },
        (err: unknown) => {
          done();
          callback(failure(err, controller.signal, method));
        },
      );
    };
  }

  function serverStreaming(
    method: DescMethod,
    handler: (req: object, ctx: CallContext<P>) => AsyncIterable<object>,
  ): handleServerStreamingCall<object, object> {
    return (call) => {
      const { controller, done } = track(call);
      void (async () => {
        const principal = await principalOf(call, method);
        const ctx = { ...context(call, method, controller.signal), principal };
        for await (const message of handler(call.request, ctx)) {
          if (controller.signal.aborted) break;
          if (!call.write(message)) await drained(call, controller.signal);
        }
        if (controller.signal.reason === SHUTDOWN) throw shuttingDown();
        if (!controller.signal.aborted) call.end();
      })().then(done, (err: unknown) => {
        done();
        if (!call.cancelled) call.emit('error', failure(err, controller.signal, method));
      });
    };
  }

  const api: GrpcServer<P> = {
    server,
    addService(service, impl) {
      if (listening) throw new Error(`addService(${service.typeName}) after listen()`);
      const handlers: UntypedServiceImplementation = {};
      const byName = impl as unknown as Record<string, (req: object, ctx: CallContext<P>) => never>;
      for (const method of service.methods) {
        const handler = byName[method.localName];
        if (typeof handler !== 'function')
          throw new Error(`${service.typeName}: no handler for ${method.name}`);
        const bound = handler.bind(impl);
        if (method.methodKind === 'unary') handlers[method.localName] = unary(method, bound);
        else if (method.methodKind === 'server_streaming')
          handlers[method.localName] = serverStreaming(method, bound);
        else
          throw new Error(
            `${service.typeName}.${method.name}: ${method.methodKind} methods are not supported`,
          );
      }
      server.addService(serviceDefinition(service), handlers);
      services.push(service);
      health.setStatus(service.typeName, 'SERVING');
      return api;
    },

    setServingStatus(service, status) {
      health.setStatus(typeof service === 'string' ? service : service.typeName, status);
    },

    async listen(host, port) {
      if (listening) throw new Error('listen() called twice');
      listening = true;
      health.addToServer(server);
      if (opts.reflection !== false && services.length > 0) {
        new ReflectionService(reflectionPackage(services)).addToServer(server);
      }
      const bound = await new Promise<number>((resolve, reject) => {
        server.bindAsync(
          `${host.includes(':') ? `[${host}]` : host}:${port}`,
          credentials(opts.tls),
          (err, p) => (err ? reject(err) : resolve(p)),
        );
      });
      health.setStatus('', 'SERVING');
      opts.logger.info(
        { host, port: bound, tls: Boolean(opts.tls), services: services.map((s) => s.typeName) },
        'gRPC listening',
      );
      return bound;
    },

    async shutdown(graceMs) {
      health.setStatus('', 'NOT_SERVING');
      for (const s of services) health.setStatus(s.typeName, 'NOT_SERVING');
      for (const c of inflight) c.abort(SHUTDOWN);
      await new Promise<void>((resolve) => {
        const force = setTimeout(() => {
          opts.logger.warn({ graceMs }, 'gRPC calls still open after the grace period; forcing shutdown');
          server.forceShutdown();
          resolve();
        }, graceMs);
        server.tryShutdown(() => {
          clearTimeout(force);
          resolve();
        });
      });
    },
  };
  return api;
}

function shuttingDown(): AppError {
  return AppError.unavailable('GRPC_ERR_SHUTTING_DOWN', 'the server is shutting down');
}

function deadlineOf(deadline: Date | number): Date | undefined {
  const ms = deadline instanceof Date ? deadline.getTime() : deadline;
  return Number.isFinite(ms) ? new Date(ms) : undefined;
}

function drained(call: ServerWritableStream<object, object>, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const finish = () => {
      call.off('drain', finish);
      signal.removeEventListener('abort', finish);
      resolve();
    };
    call.on('drain', finish);
    signal.addEventListener('abort', finish);
  });
}

function credentials(tls: TlsFiles | undefined): ServerCredentials {
  if (!tls) return ServerCredentials.createInsecure();
  const ca = tls.caFile ? readFileSync(tls.caFile) : null;
  const keyCert = { private_key: readFileSync(tls.keyFile), cert_chain: readFileSync(tls.certFile) };
  return ServerCredentials.createSsl(ca, [keyCert], ca !== null);
}

/**
 * @grpc/reflection reads serialized FileDescriptorProtos from a proto-loader package definition; the
 * protobuf-es descriptors carry the same protos, so we hand it those (with every imported file).
 */
type PackageDefinition = ConstructorParameters<typeof ReflectionService>[0];

function reflectionPackage(services: readonly DescService[]): PackageDefinition {
  const files = new Map<string, DescFile>();
  const visit = (file: DescFile) => {
    if (files.has(file.proto.name)) return;
    files.set(file.proto.name, file);
    for (const dep of file.dependencies) visit(dep);
  };
  for (const s of services) visit(s.file);
  const fileDescriptorProtos = [...files.values()].map((f) =>
    Buffer.from(toBinary(FileDescriptorProtoSchema, f.proto)),
  );
  const pkg: Record<string, unknown> = {};
  for (const s of services)
    pkg[s.typeName] = { format: 'Protocol Buffer 3 DescriptorProto', type: {}, fileDescriptorProtos };
  return pkg as PackageDefinition;
}
