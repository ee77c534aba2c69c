/** Stable error codes of the analytics service. */
export const AnalyticsErrorCode = {
  /** An envelope decoded but its payload cannot be projected (missing ids, out-of-range values). */
  invalidEvent: 'ANL_ERR_INVALID_EVENT',
  /** Configuration is missing or malformed. */
  config: 'ANL_ERR_CONFIG',
  /** The bearer token is missing or unknown. */
  unauthenticated: 'ANL_ERR_UNAUTHENTICATED',
  /** A KPI query is malformed (range, interval size). */
  invalidQuery: 'ANL_ERR_INVALID_QUERY',
  /** A rebuild could not finish or swap. */
  rebuild: 'ANL_ERR_REBUILD',
} as const;

export type AnalyticsErrorCode = (typeof AnalyticsErrorCode)[keyof typeof AnalyticsErrorCode];

export class AnalyticsError extends Error {
  constructor(
    readonly code: AnalyticsErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AnalyticsError';
  }
}
