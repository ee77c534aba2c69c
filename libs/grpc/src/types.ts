import type {
  DescMessage,
  DescMethod,
  DescService,
  MessageInitShape,
  MessageShape,
} from '@bufbuild/protobuf';
import type { Metadata } from '@grpc/grpc-js';

/** What a handler knows about the call besides the request. */
export interface CallContext<P = unknown> {
  readonly method: DescMethod;
  readonly metadata: Metadata;
  /** When the client stops waiting, if it set a deadline. */
  readonly deadline: Date | undefined;
  /** Aborted when the client cancels, the deadline passes or the server shuts down. */
  readonly signal: AbortSignal;
  /** Remote address, e.g. `ipv4:127.0.0.1:53122`. */
  readonly peer: string;
  /** Who is calling, as returned by the server's `authenticate` hook. */
  readonly principal: P;
}

type Unary<I extends DescMessage = DescMessage, O extends DescMessage = DescMessage> = {
  methodKind: 'unary';
  input: I;
  output: O;
};
type ServerStreaming<I extends DescMessage = DescMessage, O extends DescMessage = DescMessage> = {
  methodKind: 'server_streaming';
  input: I;
  output: O;
};

/** Handler of one method: unary returns the response, server streaming yields responses. */
export type MethodImpl<M, P> =
  M extends Unary<infer I, infer O>
    ? (request: MessageShape<I>, ctx: CallContext<P>) => Promise<MessageInitShape<O>> | MessageInitShape<O>
    : M extends ServerStreaming<infer I, infer O>
      ? (request: MessageShape<I>, ctx: CallContext<P>) => AsyncIterable<MessageInitShape<O>>
      : never;

/** The implementation of every method of a service, typed from its descriptor. */
export type ServiceImpl<S extends Pick<DescService, 'method'>, P = unknown> = {
  [K in keyof S['method']]: MethodImpl<S['method'][K], P>;
};

export interface CallOptions {
  /** Overrides the client's default deadline (ms from now); 0 means none. */
  deadlineMs?: number;
  signal?: AbortSignal;
  /** Extra request metadata for this call. */
  metadata?: Readonly<Record<string, string>>;
}

/** Client method of one RPC: unary resolves to the response, server streaming iterates responses. */
export type ClientMethod<M> =
  M extends Unary<infer I, infer O>
    ? (request: MessageInitShape<I>, opts?: CallOptions) => Promise<MessageShape<O>>
    : M extends ServerStreaming<infer I, infer O>
      ? (request: MessageInitShape<I>, opts?: CallOptions) => AsyncIterable<MessageShape<O>>
      : never;

export type ServiceClient<S extends Pick<DescService, 'method'>> = {
  [K in keyof S['method']]: ClientMethod<S['method'][K]>;
} & {
  /** Closes the channel. */
  close(): void;
};
