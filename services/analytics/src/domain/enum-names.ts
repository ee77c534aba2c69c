import { Channel, EscalationTrigger, Presence, ReleaseReason, SlaTarget } from '@switchboard/contracts';

// Enum values become lower-case names in the tables (`CHANNEL_WEB_FORM` -> `web_form`), so analysts
// never need the protobuf numbers. Unspecified maps to null.
function namer<E extends Record<string, string | number>>(e: E): (value: number) => string | null {
  return (value) => {
    if (value === 0) return null;
    const name = (e as Record<number, string | undefined>)[value];
    return name === undefined ? `unknown_${value}` : name.toLowerCase();
  };
}

export const channelName = namer(Channel);
export const presenceName = namer(Presence);
export const slaTargetName = namer(SlaTarget);
export const releaseReasonName = namer(ReleaseReason);
export const escalationTriggerName = namer(EscalationTrigger);

/** The Channel enum value of a table name, UNSPECIFIED for anything unknown. */
export function channelFromName(name: string | null | undefined): Channel {
  if (!name) return Channel.UNSPECIFIED;
  const value = (Channel as unknown as Record<string, number | undefined>)[name.toUpperCase()];
  return value === undefined ? Channel.UNSPECIFIED : (value as Channel);
}
