import type { RoutingCommand } from '../commands';
import { initialConfig, type QueueConfig, type RoutingConfig } from '../config';
import { decide } from '../decide';
import type { EventOf, EventType, RoutingEvent } from '../events';
import { createState, evolveAll, type TenantRoutingState } from '../state';
import { Channel, Presence } from '../types';

type NoId<C> = C extends RoutingCommand ? Omit<C, 'eventId'> : never;

export const CH = {
  voice: Channel.VOICE,
  chat: Channel.CHAT,
  email: Channel.EMAIL,
  sms: Channel.SMS,
} as const;

/** Builds a full routing config from the parts a test cares about. */
export function config(
  part: Partial<Omit<RoutingConfig, 'queues' | 'offers'>> & {
    queues?: (Partial<QueueConfig> & { id: string })[];
    offers?: Partial<RoutingConfig['offers']>;
  },
): RoutingConfig {
  const base = initialConfig();
  const queues = (part.queues ?? base.queues).map((q) => ({
    name: q.id,
    defaultPriority: 0,
    defaultSkills: [],
    escalation: [],
    ...q,
  }));
  const skills = part.skills ?? [];
  return {
    skills,
    queues,
    rules: part.rules ?? [],
    offers: { ...base.offers, ...part.offers },
    defaultQueueId: part.defaultQueueId ?? queues[0]?.id ?? '',
  };
}

export function req(skill: string, minProficiency = 1, optional = false) {
  return { skill, minProficiency, optional };
}

/**
 * Given/when/then driver: decides each command at the current time and evolves the state with the
 * events, exactly as the service does.
 */
export class Routing {
  state: TenantRoutingState = createState();
  now = 1_700_000_000_000;
  private n = 0;
  readonly log: RoutingEvent[] = [];

  when(cmd: NoId<RoutingCommand> | RoutingCommand): RoutingEvent[] {
    const full = (
      cmd.type === 'Tick' || 'eventId' in cmd ? cmd : { ...cmd, eventId: `in-${++this.n}` }
    ) as RoutingCommand;
    const events = decide(this.state, full, this.now);
    evolveAll(this.state, events);
    this.log.push(...events);
    return events;
  }

  configure(c: RoutingConfig): RoutingEvent[] {
    return this.when({ type: 'ApplyTenantConfig', version: ++this.n, config: c });
  }

  /** An available agent with skills ({skill: proficiency}) and capacities ({channel: n}). */
  agent(
    agentId: string,
    skills: Record<string, number>,
    capacity: Partial<Record<keyof typeof CH, number>>,
    opts: { total?: number; presence?: Presence } = {},
  ): RoutingEvent[] {
    return [
      ...this.when({
        type: 'SetSkills',
        agentId,
        skills: Object.entries(skills).map(([skill, proficiency]) => ({ skill, proficiency })),
      }),
      ...this.when({
        type: 'SetCapacity',
        agentId,
        channels: Object.entries(capacity).map(([ch, n]) => ({
          channel: CH[ch as keyof typeof CH],
          capacity: n ?? 0,
        })),
        total: opts.total ?? 0,
      }),
      ...this.when({ type: 'SetPresence', agentId, presence: opts.presence ?? Presence.AVAILABLE }),
    ];
  }

  start(
    conversationId: string,
    opts: {
      channel?: keyof typeof CH;
      customer?: string;
      tier?: string;
      attributes?: Record<string, string>;
    } = {},
  ): RoutingEvent[] {
    return this.when({
      type: 'StartConversation',
      conversationId,
      channel: CH[opts.channel ?? 'chat'],
      customer: { id: opts.customer ?? `cust-${conversationId}`, tier: opts.tier ?? '' },
      attributes: opts.attributes ?? {},
    });
  }

  /** Accepts the conversation's current offer. */
  accept(conversationId: string): RoutingEvent[] {
    const c = this.state.conversations.get(conversationId);
    if (!c) throw new Error(`no conversation ${conversationId}`);
    return this.when({ type: 'AcceptOffer', agentId: c.agentId, conversationId, offerId: c.offerId });
  }

  advance(seconds: number): RoutingEvent[] {
    this.now += seconds * 1000;
    return this.when({ type: 'Tick' });
  }

  status(conversationId: string) {
    const c = this.state.conversations.get(conversationId);
    return c ? { status: c.status, agentId: c.agentId } : undefined;
  }
}

export function ofType<T extends EventType>(events: RoutingEvent[], type: T): EventOf<T>[] {
  return events.filter((e): e is EventOf<T> => e.type === type);
}

export function offeredTo(events: RoutingEvent[]): [string, string][] {
  return ofType(events, 'ConversationOffered').map((e) => [e.conversationId, e.agentId]);
}
