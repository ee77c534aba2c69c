import { Channel, Presence } from '@switchboard/contracts';

export { Channel, Presence };

/** Epoch milliseconds. Time only ever enters the core as a value. */
export type Millis = number;

export interface SkillRequirement {
  skill: string;
  /** 1 to 5. */
  minProficiency: number;
  /** Optional skills may be dropped by an escalation step. */
  optional: boolean;
}

export interface SkillLevel {
  skill: string;
  /** 1 (novice) to 5 (expert). */
  proficiency: number;
}

export interface ChannelCapacity {
  channel: Channel;
  capacity: number;
}

export interface Customer {
  id: string;
  tier: string;
}

/** Largest channel number; per-channel arrays are indexed by the proto enum value. */
export const MAX_CHANNEL = Channel.WEB_FORM;

/** Names used by routing-rule conditions on the built-in "channel" attribute. */
export const CHANNEL_NAMES: Readonly<Record<number, string>> = {
  [Channel.VOICE]: 'voice',
  [Channel.CHAT]: 'chat',
  [Channel.EMAIL]: 'email',
  [Channel.SMS]: 'sms',
  [Channel.SOCIAL]: 'social',
  [Channel.VIDEO]: 'video',
  [Channel.APP]: 'app',
  [Channel.WEB_FORM]: 'web_form',
};

/** Error codes of the routing core. */
export type RoutingErrorCode = 'RTG_ERR_INVALID_CONFIG' | 'RTG_ERR_INVALID_SNAPSHOT';

export class RoutingError extends Error {
  constructor(
    readonly code: RoutingErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'RoutingError';
  }
}
