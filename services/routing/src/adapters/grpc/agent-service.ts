import { randomUUID } from 'node:crypto';
import { create } from '@bufbuild/protobuf';
import {
  type Envelope,
  newEnvelope,
  type WatchOffersResponse,
  WatchOffersResponseSchema,
} from '@switchboard/contracts';
import type { AgentService } from '@switchboard/contracts/gen/switchboard/routing/v1/agent_service_pb';
import { AppError, type FieldViolation, type ServiceImpl } from '@switchboard/grpc';
import type { AgentHub } from '../../service/agent-hub';
import { agentCommandProblems } from '../../service/input-commands';
import type { AgentPrincipal } from './agent-tokens';
import { toAppError } from './errors';

/** Appends an agent command to the agent-command topic; resolves once durably written. */
export interface CommandSink {
  append(envelope: Envelope): Promise<void>;
}

export interface AgentServiceDeps {
  commands: CommandSink;
  hub: AgentHub;
  clock: () => number;
}

const MAX_ID = 200;

function checkAgent(principal: AgentPrincipal, agentId: string): void {
  if (!agentId)
    throw AppError.invalidArgument('RTG_ERR_INVALID_ARGUMENT', 'agent_id is required', [
      { field: 'agent_id', description: 'is required' },
    ]);
  if (agentId.length > MAX_ID)
    throw AppError.invalidArgument('RTG_ERR_INVALID_ARGUMENT', 'agent_id is too long', [
      { field: 'agent_id', description: `must be at most ${MAX_ID} characters` },
    ]);
  if (principal.agentId !== undefined && principal.agentId !== agentId)
    throw AppError.permissionDenied('RTG_ERR_AGENT_FORBIDDEN', 'this token may not act for that agent');
}

/** The gRPC agent API: validates, appends commands to Kafka, streams the agent's events. */
export function agentServiceImpl(deps: AgentServiceDeps): ServiceImpl<typeof AgentService, AgentPrincipal> {
  const append = async (
    principal: AgentPrincipal,
    agentId: string,
    payload: Envelope['payload'],
    correlationId = '',
  ) => {
    checkAgent(principal, agentId);
    const envelope = newEnvelope({
      eventId: randomUUID(),
      tenantId: principal.tenantId,
      aggregateId: agentId,
      occurredAtMs: deps.clock(),
      source: `token:${principal.tokenId}`,
      correlationId,
      payload,
    });
    const problems: FieldViolation[] = agentCommandProblems(envelope);
    if (problems.length > 0)
      throw AppError.invalidArgument('RTG_ERR_INVALID_ARGUMENT', `invalid ${payload.case} request`, problems);
    try {
      await deps.commands.append(envelope);
    } catch (err) {
      throw toAppError(err);
    }
    return { accepted: { commandId: envelope.eventId } };
  };

  return {
    setPresence: (req, ctx) =>
      append(ctx.principal, req.agentId, {
        case: 'setPresence',
        value: { $typeName: 'switchboard.agent.v1.SetPresence', presence: req.presence },
      }),
    setSkills: (req, ctx) =>
      append(ctx.principal, req.agentId, {
        case: 'setSkills',
        value: { $typeName: 'switchboard.agent.v1.SetSkills', skills: req.skills },
      }),
    setCapacity: (req, ctx) =>
      append(ctx.principal, req.agentId, {
        case: 'setCapacity',
        value: { $typeName: 'switchboard.agent.v1.SetCapacity', channels: req.channels, total: req.total },
      }),
    acceptOffer: (req, ctx) =>
      append(
        ctx.principal,
        req.agentId,
        {
          case: 'acceptOffer',
          value: {
            $typeName: 'switchboard.agent.v1.AcceptOffer',
            conversationId: req.conversationId,
            offerId: req.offerId,
          },
        },
        req.conversationId,
      ),
    declineOffer: (req, ctx) =>
      append(
        ctx.principal,
        req.agentId,
        {
          case: 'declineOffer',
          value: {
            $typeName: 'switchboard.agent.v1.DeclineOffer',
            conversationId: req.conversationId,
            offerId: req.offerId,
            reason: req.reason,
          },
        },
        req.conversationId,
      ),
    completeConversation: (req, ctx) =>
      append(
        ctx.principal,
        req.agentId,
        {
          case: 'completeConversation',
          value: {
            $typeName: 'switchboard.agent.v1.CompleteConversation',
            conversationId: req.conversationId,
            wrapUpSeconds: req.wrapUpSeconds,
          },
        },
        req.conversationId,
      ),
    transferConversation: (req, ctx) =>
      append(
        ctx.principal,
        req.agentId,
        {
          case: 'transferConversation',
          value: {
            $typeName: 'switchboard.agent.v1.TransferConversation',
            conversationId: req.conversationId,
            target:
              req.target.case === 'queueId'
                ? { case: 'queueId', value: req.target.value }
                : req.target.case === 'toAgentId'
                  ? { case: 'agentId', value: req.target.value }
                  : { case: undefined },
            note: req.note,
          },
        },
        req.conversationId,
      ),
    async *watchOffers(req, ctx) {
      checkAgent(ctx.principal, req.agentId);
      const stream = deps.hub.subscribe(ctx.principal.tenantId, req.agentId, ctx.signal);
      try {
        for await (const env of stream) {
          const update = toUpdate(env);
          if (update) yield update;
        }
      } catch (err) {
        throw toAppError(err);
      }
    },
  };
}

/** A changelog event as one update of an agent's stream. */
export function toUpdate(env: Envelope): WatchOffersResponse | undefined {
  const p = env.payload;
  const occurredAt = env.occurredAt;
  const base = occurredAt ? { occurredAt } : {};
  switch (p.case) {
    case 'conversationOffered':
      return create(WatchOffersResponseSchema, { ...base, update: { case: 'offered', value: p.value } });
    case 'offerExpired':
      return create(WatchOffersResponseSchema, { ...base, update: { case: 'offerExpired', value: p.value } });
    case 'conversationAssigned':
      return create(WatchOffersResponseSchema, { ...base, update: { case: 'assigned', value: p.value } });
    case 'conversationReleased':
      return create(WatchOffersResponseSchema, { ...base, update: { case: 'released', value: p.value } });
    case 'agentStateChanged':
      return create(WatchOffersResponseSchema, { ...base, update: { case: 'stateChanged', value: p.value } });
    case 'offerDeclined':
      return create(WatchOffersResponseSchema, {
        ...base,
        update: { case: 'offerDeclined', value: p.value },
      });
    default:
      return undefined;
  }
}
