import type { Envelope } from '@switchboard/contracts';
import { decide } from '../src/domain/decide';
import { eventToEnvelope } from '../src/domain/envelope-mapping';
import type { RoutingEvent } from '../src/domain/events';
import { createState, evolveAll, type TenantRoutingState } from '../src/domain/state';
import { config } from '../src/domain/testing/harness';
import { Channel, Presence } from '../src/domain/types';
import { partitionOf } from '../src/service/partitioner';

/**
 * A realistic changelog made by the core itself: per tenant, agents come online, conversations start,
 * are offered, accepted and completed. Calls `flush` with envelopes in chunks; returns the events per
 * partition (the next offset of each partition of a fresh topic).
 */
export async function generateChangelog(
  total: number,
  tenants: number,
  partitions: number,
  flush: (envelopes: Envelope[]) => Promise<void>,
): Promise<Map<number, number>> {
  const perPartition = new Map<number, number>();
  const states: { id: string; state: TenantRoutingState; active: { c: string; a: string }[] }[] = [];
  let now = Date.UTC(2026, 10, 23, 8);
  let n = 0;
  let written = 0;
  let chunk: Envelope[] = [];
  const emit = async (t: (typeof states)[number], events: RoutingEvent[]) => {
    evolveAll(t.state, events);
    for (const e of events) chunk.push(eventToEnvelope(t.id, e, 'routing'));
    const p = partitionOf(t.id, partitions);
    perPartition.set(p, (perPartition.get(p) ?? 0) + events.length);
    written += events.length;
    if (chunk.length >= 5000) {
      const out = chunk;
      chunk = [];
      await flush(out);
    }
  };
  const run = (t: (typeof states)[number], cmd: Parameters<typeof decide>[1]) => decide(t.state, cmd, now);
  for (let i = 0; i < tenants; i++) {
    const t = { id: `bench-tenant-${i}`, state: createState(), active: [] as { c: string; a: string }[] };
    states.push(t);
    await emit(t, run(t, { type: 'ApplyTenantConfig', eventId: `cfg-${i}`, version: 1, config: config({}) }));
    for (let a = 0; a < 20; a++) {
      const agentId = `agent-${a}`;
      await emit(
        t,
        run(t, {
          type: 'SetCapacity',
          eventId: `cap-${i}-${a}`,
          agentId,
          channels: [{ channel: Channel.CHAT, capacity: 5 }],
          total: 0,
        }),
      );
      await emit(
        t,
        run(t, { type: 'SetPresence', eventId: `on-${i}-${a}`, agentId, presence: Presence.AVAILABLE }),
      );
    }
  }
  while (written < total) {
    const t = states[n % tenants] as (typeof states)[number];
    n++;
    now += 2;
    const conversationId = `conv-${n}`;
    const events = run(t, {
      type: 'StartConversation',
      eventId: `start-${n}`,
      conversationId,
      channel: Channel.CHAT,
      customer: { id: `cust-${n % 5000}`, tier: '' },
      attributes: {},
    });
    await emit(t, events);
    const offer = events.find((e) => e.type === 'ConversationOffered');
    if (offer?.type === 'ConversationOffered') {
      await emit(
        t,
        run(t, {
          type: 'AcceptOffer',
          eventId: `acc-${n}`,
          agentId: offer.agentId,
          conversationId,
          offerId: offer.offerId,
        }),
      );
      t.active.push({ c: conversationId, a: offer.agentId });
    }
    // Keep about half the capacity busy: complete the oldest conversation.
    if (t.active.length > 50) {
      const done = t.active.shift() as { c: string; a: string };
      await emit(
        t,
        run(t, {
          type: 'CompleteConversation',
          eventId: `done-${done.c}`,
          agentId: done.a,
          conversationId: done.c,
          wrapUpSeconds: 0,
        }),
      );
    }
  }
  if (chunk.length > 0) await flush(chunk);
  return perPartition;
}
