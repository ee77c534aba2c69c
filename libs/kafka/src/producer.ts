import { type Envelope, encodeEnvelope } from '@switchboard/contracts';
import { type Kafka, type Message, Partitioners, type Producer } from 'kafkajs';
import type { Logger } from 'pino';
import { type BatchCall, Batcher } from './batcher';
import { KafkaUnavailableError, toProduceError } from './errors';
import { encodeHeaders } from './headers';
import type { KafkaMetrics } from './metrics';
import { recordFailure, startProducerSpan } from './tracing';
import type { EnvelopeProducer, ProducerOptions, RawMessage } from './types';

export const PRODUCER_DEFAULTS = {
  lingerMs: 2,
  maxBatchMessages: 1000,
  maxBufferedMessages: 50_000,
  requestTimeoutMs: 5000,
} as const;

/** Protobuf bytes as a Buffer without copying. */
export function envelopeBuffer(envelope: Envelope): Buffer {
  const bytes = encodeEnvelope(envelope);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Merges the calls of one request into one message list per topic (call order kept). */
export function topicMessagesOf(
  calls: ReadonlyArray<BatchCall<Message>>,
): { topic: string; messages: Message[] }[] {
  const byTopic = new Map<string, Message[]>();
  for (const call of calls) {
    const list = byTopic.get(call.topic);
    if (list) {
      for (const m of call.messages) list.push(m);
    } else {
      byTopic.set(call.topic, [...call.messages]);
    }
  }
  return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
}

/** Idempotent (acks=all) producer that coalesces concurrent sends; see EnvelopeProducer. */
export class CoalescingEnvelopeProducer implements EnvelopeProducer {
  private readonly producer: Producer;
  private readonly batcher: Batcher<Message>;
  private readonly requestTimeoutMs: number;
  private connected = false;
  private connecting: Promise<void> | undefined;
  /** kafkajs keeps retrying a connect after our deadline; disconnect waits for it to give up. */
  private rawConnect: Promise<void> | undefined;

  constructor(
    kafka: Kafka,
    private readonly logger: Logger,
    private readonly metrics: KafkaMetrics,
    opts: ProducerOptions = {},
  ) {
    const o = { ...PRODUCER_DEFAULTS, ...opts };
    this.requestTimeoutMs = o.requestTimeoutMs;
    this.producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
      // Short retries: the batcher's deadline bounds a call anyway; kafkajs reconnects on the next try.
      retry: { initialRetryTime: 100, maxRetryTime: 1000, retries: 10 },
    });
    this.producer.on(this.producer.events.CONNECT, () => {
      this.connected = true;
    });
    this.producer.on(this.producer.events.DISCONNECT, () => {
      this.connected = false;
    });
    this.batcher = new Batcher<Message>({
      lingerMs: o.lingerMs,
      maxBatchMessages: o.maxBatchMessages,
      maxBufferedMessages: o.maxBufferedMessages,
      deadlineMs: o.requestTimeoutMs,
      send: (calls) => this.sendRequest(calls),
    });
  }

  isConnected(): boolean {
    return this.connected;
  }

  connect(): Promise<void> {
    if (this.connected) return Promise.resolve();
    if (this.connecting) return this.connecting;
    const raw = this.producer.connect();
    this.rawConnect = raw.catch(() => undefined);
    this.connecting = withDeadline(raw, this.requestTimeoutMs, 'producer connect')
      .catch((err: unknown) => {
        throw toProduceError(err);
      })
      .finally(() => {
        this.connecting = undefined;
      });
    return this.connecting;
  }

  async disconnect(): Promise<void> {
    await this.batcher.close();
    await this.rawConnect;
    await this.producer.disconnect();
    this.connected = false;
  }

  async send(topic: string, envelopes: Envelope[], headers?: Record<string, string>): Promise<void> {
    if (envelopes.length === 0) return;
    const { span, headers: carried } = startProducerSpan(topic, envelopes.length, headers);
    const kafkaHeaders = encodeHeaders(carried);
    try {
      const messages: Message[] = envelopes.map((envelope) => ({
        key: envelope.tenantId,
        value: envelopeBuffer(envelope),
        headers: kafkaHeaders,
      }));
      await this.enqueue(topic, messages);
    } catch (err) {
      recordFailure(span, err);
      throw err;
    } finally {
      span.end();
    }
  }

  async sendRaw(topic: string, messages: RawMessage[]): Promise<void> {
    await this.enqueue(
      topic,
      messages.map((m) => ({
        key: m.key,
        value: m.value,
        headers: m.headers ? encodeHeaders(m.headers) : {},
      })),
    );
  }

  private async enqueue(topic: string, messages: Message[]): Promise<void> {
    if (!this.connected) await this.connect();
    try {
      await this.batcher.add(topic, messages);
    } catch (err) {
      throw toProduceError(err);
    }
    this.metrics.produced.add(messages.length, { topic });
  }

  private async sendRequest(calls: ReadonlyArray<BatchCall<Message>>): Promise<void> {
    try {
      await this.producer.sendBatch({
        acks: -1,
        timeout: this.requestTimeoutMs,
        topicMessages: topicMessagesOf(calls),
      });
    } catch (err) {
      this.logger.warn({ err, calls: calls.length }, 'kafka produce request failed');
      throw err;
    }
  }
}

/** Rejects with KafkaUnavailableError when `promise` has not settled within `ms`. */
export function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new KafkaUnavailableError(`${what} did not finish within ${ms} ms`)), ms);
  });
  promise.catch(() => undefined); // a late failure after the deadline must not be unhandled
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}
