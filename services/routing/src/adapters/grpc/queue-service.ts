import type { QueueService } from '@switchboard/contracts/gen/switchboard/routing/v1/queue_service_pb';
import { AppError, type ServiceImpl, Status } from '@switchboard/grpc';
import type { QueueStatsView } from '../../domain/queries';
import type { AgentPrincipal } from './agent-tokens';

/** Where queue stats come from: the owner's live state, or undefined when another replica owns the tenant. */
export interface QueueStatsSource {
  queueStats(
    tenantId: string,
  ): { owned: true; queues: QueueStatsView[] } | { owned: false; partition: number };
}

function notOwner(partition: number): AppError {
  return new AppError(
    Status.UNAVAILABLE,
    'RTG_ERR_NOT_OWNER',
    `this replica does not own the tenant (partition ${partition}); retry on another replica`,
    { metadata: { partition: String(partition) } },
  );
}

/** The supervisor API, served from the owner's in-memory state. */
export function queueServiceImpl(source: QueueStatsSource): ServiceImpl<typeof QueueService, AgentPrincipal> {
  const stats = (tenantId: string) => {
    const r = source.queueStats(tenantId);
    if (!r.owned) throw notOwner(r.partition);
    return r.queues;
  };
  return {
    listQueues: (_req, ctx) => ({ queues: stats(ctx.principal.tenantId) }),
    getQueueStats: (req, ctx) => {
      if (!req.queueId)
        throw AppError.invalidArgument('RTG_ERR_INVALID_ARGUMENT', 'queue_id is required', [
          { field: 'queue_id', description: 'is required' },
        ]);
      const q = stats(ctx.principal.tenantId).find((s) => s.queueId === req.queueId);
      if (!q) throw AppError.notFound('RTG_ERR_QUEUE_NOT_FOUND', `no queue "${req.queueId}"`);
      return { stats: q };
    },
  };
}
