import { create } from '@bufbuild/protobuf';
import {
  Channel,
  ConversationStartedSchema,
  type Envelope,
  newEnvelope,
  Presence,
  TenantConfigAppliedSchema,
} from '@switchboard/contracts';
import type { RoutingConfig } from '../domain/config';
import { routingConfigToProto } from '../domain/config-proto';
import type {
  ChangelogEntry,
  ChangelogReader,
  DeadLetterSink,
  RejectedInput,
  SnapshotStore,
  StoredSnapshot,
  TickSink,
} from './ports';

/** In-memory stand-ins for the Kafka ports, for unit tests of the owner (integration tests use Kafka). */
export class MemoryChangelog implements ChangelogReader {
  readonly partitions = new Map<number, Envelope[]>();

  append(partition: number, envelopes: readonly Envelope[]): void {
    const log = this.partitions.get(partition) ?? [];
    log.push(...envelopes);
    this.partitions.set(partition, log);
  }

  async replay(from: ReadonlyMap<number, bigint>, onEntry: (e: ChangelogEntry) => void): Promise<void> {
    for (const [partition, start] of from) {
      const log = this.partitions.get(partition) ?? [];
      for (let i = Number(start); i < log.length; i++)
        onEntry({ partition, offset: BigInt(i), envelope: log[i] as Envelope });
    }
  }
}

export class MemorySnapshots implements SnapshotStore {
  readonly saved: StoredSnapshot[] = [];
  async loadLatest(partitions: readonly number[]): Promise<Map<number, StoredSnapshot>> {
    const out = new Map<number, StoredSnapshot>();
    for (const s of this.saved) if (partitions.includes(s.partition)) out.set(s.partition, s);
    return out;
  }
  async save(s: StoredSnapshot): Promise<number> {
    this.saved.push(s);
    return s.tenants.reduce((n, t) => n + t.state.length, 0);
  }
}

export class MemoryTicks implements TickSink {
  readonly ticks: { tenantId: string; now: number }[] = [];
  async appendTicks(ticks: readonly { tenantId: string; now: number }[]): Promise<void> {
    this.ticks.push(...ticks);
  }
}

export class MemoryDeadLetters implements DeadLetterSink {
  readonly items: RejectedInput[] = [];
  async deadLetter(items: readonly RejectedInput[]): Promise<void> {
    this.items.push(...items);
  }
}

export const quietLogger = { info: () => {}, warn: () => {}, error: () => {} };

const T0 = 1_700_000_000_000;

export function started(
  tenantId: string,
  conversationId: string,
  eventId = `ev-${conversationId}`,
): Envelope {
  return newEnvelope({
    eventId,
    tenantId,
    aggregateId: conversationId,
    occurredAtMs: T0,
    source: 'test',
    payload: {
      case: 'conversationStarted',
      value: create(ConversationStartedSchema, {
        channel: Channel.CHAT,
        customer: { id: `cust-${conversationId}`, tier: 'gold' },
      }),
    },
  });
}

export function agentCommand(
  tenantId: string,
  agentId: string,
  eventId: string,
  payload: Envelope['payload'],
): Envelope {
  return newEnvelope({ eventId, tenantId, aggregateId: agentId, occurredAtMs: T0, source: 'test', payload });
}

export function available(tenantId: string, agentId: string, eventId = `avail-${agentId}`): Envelope[] {
  return [
    agentCommand(tenantId, agentId, `${eventId}-cap`, {
      case: 'setCapacity',
      value: {
        $typeName: 'switchboard.agent.v1.SetCapacity',
        channels: [
          { $typeName: 'switchboard.common.v1.ChannelCapacity', channel: Channel.CHAT, capacity: 2 },
        ],
        total: 0,
      },
    }),
    agentCommand(tenantId, agentId, eventId, {
      case: 'setPresence',
      value: { $typeName: 'switchboard.agent.v1.SetPresence', presence: Presence.AVAILABLE },
    }),
  ];
}

export function configApplied(tenantId: string, version: number, config: RoutingConfig): Envelope {
  return newEnvelope({
    eventId: `cfg-${tenantId}-${version}`,
    tenantId,
    aggregateId: tenantId,
    occurredAtMs: T0,
    source: 'test',
    payload: {
      case: 'tenantConfigApplied',
      value: create(TenantConfigAppliedSchema, {
        version: BigInt(version),
        config: routingConfigToProto(config),
      }),
    },
  });
}
