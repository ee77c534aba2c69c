import { Channel, type Envelope, Presence } from '@switchboard/contracts';
import type { RoutingConfig } from '../src/domain/config';
import { config } from '../src/domain/testing/harness';
import { agentCommand, configApplied, started } from '../src/service/testing';

/** Offers that never time out: each conversation must be offered exactly once. */
export const patientConfig: RoutingConfig = config({
  offers: { offerTimeoutSeconds: 3600, maxMissedOffers: 0 },
});

/** Config and available agents with room for `capacity` chats each, per tenant. */
export function setupInputs(
  tenants: string[],
  agents: number,
  capacity: number,
): { config: Envelope[]; commands: Envelope[] } {
  const commands: Envelope[] = [];
  for (const t of tenants)
    for (let a = 0; a < agents; a++) {
      const agentId = `agent-${a}`;
      commands.push(
        agentCommand(t, agentId, `${t}-${agentId}-cap`, {
          case: 'setCapacity',
          value: {
            $typeName: 'switchboard.agent.v1.SetCapacity',
            channels: [
              { $typeName: 'switchboard.common.v1.ChannelCapacity', channel: Channel.CHAT, capacity },
            ],
            total: 0,
          },
        }),
        agentCommand(t, agentId, `${t}-${agentId}-on`, {
          case: 'setPresence',
          value: { $typeName: 'switchboard.agent.v1.SetPresence', presence: Presence.AVAILABLE },
        }),
      );
    }
  return { config: tenants.map((t) => configApplied(t, 1, patientConfig)), commands };
}

/** Conversation `i` of a run, spread over the tenants. */
export function conversation(tenants: string[], i: number): Envelope {
  return started(tenants[i % tenants.length] as string, `conv-${i}`);
}
