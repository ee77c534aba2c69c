import type { Problem } from '../errors';
import type { ChannelName, IncomingEvent } from './events';

/** The channels an API key may post for; `'*'` allows every channel. */
export type AllowedChannels = ReadonlySet<ChannelName | '*'>;

/**
 * Events whose channel the key may not post for. An event without a channel (allowed for every
 * type but conversation.started) passes: the conversation's channel was checked when it started.
 */
export function forbiddenChannels(
  events: readonly IncomingEvent[],
  allowed: AllowedChannels,
  pointerOf: (index: number) => string,
): Problem[] {
  if (allowed.has('*')) return [];
  const problems: Problem[] = [];
  events.forEach((event, index) => {
    if (event.channel !== undefined && !allowed.has(event.channel)) {
      problems.push({
        pointer: `${pointerOf(index)}/channel`,
        detail: `channel "${event.channel}" is not allowed for this API key`,
      });
    }
  });
  return problems;
}
