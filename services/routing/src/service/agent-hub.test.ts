import { newEnvelope } from '@switchboard/contracts';
import { AgentHub } from './agent-hub';

const offered = (tenantId: string, agentId: string, conversationId: string) =>
  newEnvelope({
    eventId: `${tenantId}-${conversationId}`,
    tenantId,
    aggregateId: conversationId,
    occurredAtMs: 1,
    source: 'test',
    payload: {
      case: 'conversationOffered',
      value: {
        $typeName: 'switchboard.routing.v1.ConversationOffered',
        conversationId,
        offerId: 'o',
        agentId,
        queueId: 'q',
        channel: 2,
      },
    },
  });

describe('AgentHub', () => {
  it('delivers an event only to the streams of that tenant and agent', async () => {
    const hub = new AgentHub();
    const mine = hub.subscribe('acme', 'a1');
    const otherTenant = hub.subscribe('globex', 'a1');
    hub.publish(offered('globex', 'a1', 'g1'));
    hub.publish(offered('acme', 'a2', 'x'));
    hub.publish(offered('acme', 'a1', 'c1'));
    expect((await mine.next()).value?.aggregateId).toBe('c1');
    expect((await otherTenant.next()).value?.aggregateId).toBe('g1');
    hub.closeAll();
    expect((await mine.next()).done).toBe(true);
    expect(hub.connected).toBe(0);
  });

  it('ends a stream when its signal aborts, and fails one that falls too far behind', async () => {
    const hub = new AgentHub(2);
    const ac = new AbortController();
    const s = hub.subscribe('acme', 'a1', ac.signal);
    ac.abort();
    expect((await s.next()).done).toBe(true);
    const slow = hub.subscribe('acme', 'a1');
    for (const c of ['c1', 'c2', 'c3']) hub.publish(offered('acme', 'a1', c));
    await expect(slow.next()).resolves.toMatchObject({ done: false });
    await expect(slow.next()).resolves.toMatchObject({ done: false });
    await expect(slow.next()).rejects.toMatchObject({ code: 'RTG_ERR_STREAM_OVERFLOW' });
  });
});
