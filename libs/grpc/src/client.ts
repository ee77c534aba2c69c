import { readFileSync } from 'node:fs';
import type { DescMethod, DescService } from '@bufbuild/protobuf';
import {
  type ChannelCredentials,
  Client,
  credentials,
  type CallOptions as GrpcCallOptions,
  Metadata,
} from '@grpc/grpc-js';
import { deserializer, methodPath, serializer } from './service-definition';
import { fromServiceError } from './status-details';
import type { CallOptions, ServiceClient } from './types';

export interface ClientTls {
  /** CA bundle that signed the server certificate; the system roots when omitted. */
  caFile?: string;
  /** Client certificate and key, for servers that require mutual TLS. */
  certFile?: string;
  keyFile?: string;
}

export interface GrpcClientOpts {
  /** `true` for TLS with the system roots. */
  tls?: ClientTls | true;
  /** Sent as `authorization: Bearer <token>` on every call; a function is asked before each call. */
  token?: string | (() => string | Promise<string>);
  /** Sent on every call. */
  metadata?: Readonly<Record<string, string>>;
  /** Deadline of unary calls in ms (default 10 s); streams have none unless a call sets one. */
  deadlineMs?: number;
  channelOptions?: Record<string, unknown>;
}

const DEFAULT_UNARY_DEADLINE_MS = 10_000;

/**
 * A typed client for a protobuf-es service: unary methods return promises, server-streaming methods async
 * iterables. Failures reject with the AppError the server sent (or a `GRPC_ERR_<STATUS>` one).
 */
export function createGrpcClient<S extends DescService>(
  service: S,
  address: string,
  opts: GrpcClientOpts = {},
): ServiceClient<S> {
  const client = new Client(address, channelCredentials(opts.tls), opts.channelOptions);
  const unaryDeadline = opts.deadlineMs ?? DEFAULT_UNARY_DEADLINE_MS;

  const prepare = async (call: CallOptions, defaultDeadline: number) => {
    const metadata = new Metadata();
    for (const [k, v] of Object.entries({ ...opts.metadata, ...call.metadata })) metadata.set(k, v);
    if (opts.token !== undefined) {
      const token = typeof opts.token === 'function' ? await opts.token() : opts.token;
      metadata.set('authorization', `Bearer ${token}`);
    }
    const deadlineMs = call.deadlineMs ?? defaultDeadline;
    const options: GrpcCallOptions = deadlineMs > 0 ? { deadline: Date.now() + deadlineMs } : {};
    return { metadata, options };
  };

  const unary =
    (method: DescMethod) =>
    async (request: object, call: CallOptions = {}) => {
      const { metadata, options } = await prepare(call, unaryDeadline);
      call.signal?.throwIfAborted();
      return new Promise<object>((resolve, reject) => {
        const pending = client.makeUnaryRequest(
          methodPath(method),
          serializer(method.input),
          deserializer(method.output),
          request,
          metadata,
          options,
          (err, response) => (err ? reject(fromServiceError(err)) : resolve(response as object)),
        );
        call.signal?.addEventListener('abort', () => pending.cancel(), { once: true });
      });
    };

  const serverStreaming = (method: DescMethod) =>
    async function* (request: object, call: CallOptions = {}) {
      const { metadata, options } = await prepare(call, 0);
      call.signal?.throwIfAborted();
      const stream = client.makeServerStreamRequest(
        methodPath(method),
        serializer(method.input),
        deserializer(method.output),
        request,
        metadata,
        options,
      );
      const cancel = () => stream.cancel();
      call.signal?.addEventListener('abort', cancel, { once: true });
      try {
        for await (const message of stream) yield message as object;
      } catch (err) {
        throw fromServiceError(err as Parameters<typeof fromServiceError>[0]);
      } finally {
        call.signal?.removeEventListener('abort', cancel);
        // Ends the call when the consumer stops early; a no-op once the stream has finished.
        stream.cancel();
      }
    };

  const methods: Record<string, unknown> = { close: () => client.close() };
  for (const method of service.methods) {
    if (method.methodKind === 'unary') methods[method.localName] = unary(method);
    else if (method.methodKind === 'server_streaming') methods[method.localName] = serverStreaming(method);
  }
  return methods as ServiceClient<S>;
}

function channelCredentials(tls: GrpcClientOpts['tls']): ChannelCredentials {
  if (!tls) return credentials.createInsecure();
  if (tls === true) return credentials.createSsl();
  const read = (file?: string) => (file ? readFileSync(file) : null);
  return credentials.createSsl(read(tls.caFile), read(tls.keyFile), read(tls.certFile));
}
