import type { MessageInitShape } from '@bufbuild/protobuf';
import {
  Channel,
  type GetKpisResponseSchema,
  type KpiService,
  msFromTs,
  tsFromMs,
} from '@switchboard/contracts';
import { AppError, type ServiceImpl } from '@switchboard/grpc';
import { channelFromName, channelName } from '../../domain/enum-names';
import { AnalyticsError } from '../../domain/errors';
import { normaliseKpiQuery } from '../../domain/kpi';
import type { KpiReader } from '../pg/kpi-reader';
import type { TenantPrincipal } from './token-verifier';

/** KpiService: KPIs of the caller's tenant (from its token), never of another. */
export function kpiService(reader: KpiReader): ServiceImpl<typeof KpiService, TenantPrincipal> {
  return {
    async getKpis(req, ctx): Promise<MessageInitShape<typeof GetKpisResponseSchema>> {
      let query: ReturnType<typeof normaliseKpiQuery>;
      try {
        query = normaliseKpiQuery({
          tenantId: ctx.principal.tenantId,
          queue: req.queueId || null,
          channel: req.channel === Channel.UNSPECIFIED ? null : channelName(req.channel),
          fromMs: msFromTs(req.from),
          toMs: msFromTs(req.to),
          intervalMinutes: req.intervalMinutes,
        });
      } catch (err) {
        if (err instanceof AnalyticsError) throw AppError.invalidArgument(err.code, err.message);
        throw err;
      }
      const rows = await reader.read(query);
      return {
        intervals: rows.map((r) => ({
          intervalStart: tsFromMs(r.interval_start.getTime()),
          queueId: r.queue,
          channel: channelFromName(r.channel),
          offered: r.offered,
          answered: r.answered,
          abandoned: r.abandoned,
          avgTimeToAnswerSeconds: r.avg_time_to_answer_seconds ?? 0,
          p90TimeToAnswerSeconds: r.p90_time_to_answer_seconds ?? 0,
          avgHandleTimeSeconds: r.avg_handle_time_seconds ?? 0,
          firstContactResolutionRate: r.first_contact_resolution_rate ?? 0,
          slaAttainment: r.sla_attainment ?? 0,
          avgCsat: r.avg_csat ?? 0,
          transfers: r.transfers,
        })),
      };
    },
  };
}
