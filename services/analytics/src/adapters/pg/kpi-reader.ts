import type { Pool } from 'pg';
import { KPI_INTERVAL_MINUTES, type KpiQuery } from '../../domain/kpi';
import { ident } from './ident';
import { KPI_COLUMNS, kpiSelectSql } from './kpi-sql';

export interface KpiRow {
  interval_start: Date;
  queue: string;
  channel: string;
  offered: number;
  answered: number;
  abandoned: number;
  avg_time_to_answer_seconds: number | null;
  p90_time_to_answer_seconds: number | null;
  avg_handle_time_seconds: number | null;
  first_contact_resolution_rate: number | null;
  sla_attainment: number | null;
  avg_csat: number | null;
  transfers: number;
}

/**
 * Reads KPIs: 15-minute intervals straight from `kpi_intervals`; longer intervals recomputed from
 * `conversations` with the same definitions (a p90 cannot be combined from shorter intervals).
 */
export class KpiReader {
  private readonly s: string;

  constructor(
    private readonly pool: Pool,
    schema: string,
  ) {
    this.s = ident(schema);
  }

  async read(q: KpiQuery): Promise<KpiRow[]> {
    const params = [
      q.tenantId,
      new Date(q.fromMs).toISOString(),
      new Date(q.toMs).toISOString(),
      q.queue,
      q.channel,
    ];
    const filter = (alias: string, time: string) =>
      `${alias}.tenant_id = $1 AND ${time} >= $2 AND ${time} < $3
       AND ($4::text IS NULL OR ${alias}.queue = $4) AND ($5::text IS NULL OR ${alias}.channel = $5)`;
    const sql =
      q.intervalMinutes === KPI_INTERVAL_MINUTES
        ? `SELECT ${KPI_COLUMNS} FROM ${this.s}.kpi_intervals k WHERE ${filter('k', 'k.interval_start')}`
        : kpiSelectSql(this.s, `interval '${q.intervalMinutes} minutes'`, filter('c', 'c.queued_at'));
    const { rows } = await this.pool.query<KpiRow>(
      `SELECT * FROM (${sql}) x ORDER BY interval_start, queue, channel`,
      params,
    );
    return rows;
  }
}
