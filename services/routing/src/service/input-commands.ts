import { Channel, type Envelope, msFromTs, Presence } from '@switchboard/contracts';
import type { RoutingCommand } from '../domain/commands';
import { commandFromEnvelope } from '../domain/envelope-mapping';
import { MAX_CHANNEL } from '../domain/types';

/** What an input envelope asks of the routing core. */
export type InputMeaning =
  /** A command to decide at `now` (the tick's own time for ticks, else the owner's clock). */
  | { kind: 'command'; command: RoutingCommand; now?: number }
  /** Not routing's business (customer messages, CSAT, SLA clocks starting, ...): consumed, no effect. */
  | { kind: 'ignored' }
  /** Well-formed envelope with a payload routing cannot accept: dead-lettered with the reason. */
  | { kind: 'invalid'; reason: string };

const ignored: InputMeaning = { kind: 'ignored' };
const invalid = (reason: string): InputMeaning => ({ kind: 'invalid', reason });

const validChannel = (c: number) => c >= 1 && c <= MAX_CHANNEL;
const settablePresence = (p: number) =>
  p === Presence.AVAILABLE || p === Presence.AWAY || p === Presence.OFFLINE;

/** Problems of an agent command's fields, as (field, description) pairs; shared with the gRPC edge. */
export function agentCommandProblems(env: Envelope): { field: string; description: string }[] {
  const problems: { field: string; description: string }[] = [];
  const add = (field: string, description: string) => problems.push({ field, description });
  const p = env.payload;
  switch (p.case) {
    case 'setPresence':
      if (!settablePresence(p.value.presence)) add('presence', 'must be AVAILABLE, AWAY or OFFLINE');
      break;
    case 'setSkills':
      p.value.skills.forEach((s, i) => {
        if (!s.skill) add(`skills[${i}].skill`, 'skill id is empty');
        if (!Number.isInteger(s.proficiency) || s.proficiency < 1 || s.proficiency > 5)
          add(`skills[${i}].proficiency`, 'must be 1 to 5');
      });
      break;
    case 'setCapacity':
      p.value.channels.forEach((c, i) => {
        if (!validChannel(c.channel)) add(`channels[${i}].channel`, 'unknown channel');
      });
      break;
    case 'acceptOffer':
    case 'declineOffer':
      if (!p.value.conversationId) add('conversation_id', 'is required');
      if (!p.value.offerId) add('offer_id', 'is required');
      break;
    case 'completeConversation':
      if (!p.value.conversationId) add('conversation_id', 'is required');
      if (p.value.wrapUpSeconds > 86_400) add('wrap_up_seconds', 'must be at most 86400');
      break;
    case 'transferConversation':
      if (!p.value.conversationId) add('conversation_id', 'is required');
      if (p.value.target.case === undefined || !p.value.target.value)
        add('target', 'a queue id or an agent id is required');
      break;
    default:
      break;
  }
  return problems;
}

/**
 * What an input envelope means for the owner. Validation is the service's (invalid inputs go to the
 * dead-letter topic with the reason); the mapping itself is the core's `commandFromEnvelope`.
 */
export function inputMeaning(env: Envelope): InputMeaning {
  const problems = agentCommandProblems(env);
  if (problems.length > 0) return invalid(problems.map((x) => `${x.field}: ${x.description}`).join('; '));
  const p = env.payload;
  if (p.case === 'conversationStarted' && !validChannel(p.value.channel))
    return invalid('conversation_started.channel: unknown channel');
  if (
    p.case === 'botHandoffRequested' &&
    p.value.channel !== Channel.UNSPECIFIED &&
    !validChannel(p.value.channel)
  )
    return invalid('bot_handoff_requested.channel: unknown channel');
  if (p.case === 'tenantConfigApplied' && !p.value.config)
    return invalid('tenant_config_applied.config is missing');
  if ((p.case === 'slaWarningRaised' || p.case === 'slaBreached') && !p.value.clock?.conversationId)
    return invalid(`${p.case}.clock.conversation_id is missing`);
  if (p.case === 'routingTick') {
    const now = msFromTs(p.value.now);
    if (now <= 0) return invalid('routing_tick.now is missing');
    return { kind: 'command', command: { type: 'Tick' }, now };
  }
  const command = commandFromEnvelope(env);
  return command ? { kind: 'command', command } : ignored;
}
