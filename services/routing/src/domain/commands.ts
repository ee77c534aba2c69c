import type { RoutingConfig } from './config';
import type { Channel, ChannelCapacity, Customer, Presence, SkillLevel } from './types';

/** Fields every recorded input has: its event id is the idempotency key. */
interface Input {
  eventId: string;
}

export type RoutingCommand =
  | (Input & { type: 'ApplyTenantConfig'; version: number; config: RoutingConfig })
  | (Input & {
      type: 'StartConversation';
      conversationId: string;
      channel: Channel;
      customer: Customer;
      attributes: Record<string, string>;
    })
  | (Input & {
      type: 'HandOffFromBot';
      conversationId: string;
      botId: string;
      channel: Channel;
      customer: Customer;
      attributes: Record<string, string>;
    })
  | (Input & { type: 'ResolveConversation'; conversationId: string })
  | (Input & { type: 'AbandonConversation'; conversationId: string; reason: string })
  | (Input & { type: 'ReopenConversation'; conversationId: string })
  | (Input & { type: 'SetPresence'; agentId: string; presence: Presence })
  | (Input & { type: 'SetSkills'; agentId: string; skills: SkillLevel[] })
  | (Input & { type: 'SetCapacity'; agentId: string; channels: ChannelCapacity[]; total: number })
  | (Input & { type: 'AcceptOffer'; agentId: string; conversationId: string; offerId: string })
  | (Input & {
      type: 'DeclineOffer';
      agentId: string;
      conversationId: string;
      offerId: string;
      reason: string;
    })
  | (Input & { type: 'CompleteConversation'; agentId: string; conversationId: string; wrapUpSeconds: number })
  | (Input & {
      type: 'TransferConversation';
      agentId: string;
      conversationId: string;
      target: { queueId: string } | { agentId: string };
      note: string;
    })
  | (Input & { type: 'EscalateOnSla'; conversationId: string; kind: 'warning' | 'breach' })
  /** Time-driven work that is due at `now`: offer timeouts, wrap-up ends, escalation steps. */
  | { type: 'Tick' };

export type CommandType = RoutingCommand['type'];
export type CommandOf<T extends CommandType> = Extract<RoutingCommand, { type: T }>;
