import type { RoutingEvent } from '../events';
import { hasSkills, readyOn } from '../model';
import type { TenantRoutingState } from '../state';
import { Presence } from '../types';

/**
 * Full-scan checks of the routing invariants (tests only; the engine itself never scans).
 * Returns the violations, empty when the state is sound.
 */
export function violations(
  state: TenantRoutingState,
  started: Iterable<string>,
  events: RoutingEvent[] = [],
): string[] {
  const out: string[] = [];
  const holder = new Map<string, string>();
  for (const a of state.agents.values()) {
    let total = 0;
    const perChannel = new Map<number, number>();
    for (const id of a.holding) {
      const other = holder.get(id);
      if (other) out.push(`${id} held by ${other} and ${a.id}`);
      holder.set(id, a.id);
      const c = state.conversations.get(id);
      if (!c) {
        out.push(`${a.id} holds unknown ${id}`);
        continue;
      }
      if ((c.status !== 'offered' && c.status !== 'active') || c.agentId !== a.id)
        out.push(`${a.id} holds ${id} which is ${c.status} with ${c.agentId}`);
      total++;
      perChannel.set(c.channel, (perChannel.get(c.channel) ?? 0) + 1);
    }
    if (total !== a.heldTotal) out.push(`${a.id} heldTotal ${a.heldTotal} but holds ${total}`);
    for (const [ch, n] of perChannel)
      if (a.held[ch] !== n) out.push(`${a.id} held[${ch}] ${a.held[ch]} but holds ${n}`);
  }
  for (const e of events) {
    if (e.type !== 'ConversationOffered') continue;
    const a = state.agents.get(e.agentId);
    if (!a) continue;
    if ((a.held[e.channel] ?? 0) > (a.capacity[e.channel] ?? 0) || a.heldTotal > a.effectiveTotal)
      out.push(`offer ${e.offerId} took ${a.id} over its capacity`);
    if (state.conversations.get(e.conversationId)?.excluded.includes(e.agentId))
      out.push(`offer ${e.offerId} went back to ${e.agentId} who declined or missed it`);
  }
  for (const id of started) {
    const c = state.conversations.get(id);
    if (!c) out.push(`${id} lost`);
    else if (c.status === 'transit') out.push(`${id} left in transit`);
    else if ((c.status === 'offered' || c.status === 'active') && holder.get(id) !== c.agentId)
      out.push(`${id} is ${c.status} with ${c.agentId} who does not hold it`);
  }
  // Work conservation: no available agent with room that could serve a waiting conversation.
  for (const c of state.conversations.values()) {
    if (c.status !== 'waiting') continue;
    for (const a of state.agents.values()) {
      if (
        a.presence === Presence.AVAILABLE &&
        readyOn(a, c.channel) &&
        hasSkills(a, c.requirements) &&
        !c.excluded.includes(a.id)
      )
        out.push(`${a.id} idle while ${c.id} waits`);
    }
  }
  return out;
}
