/** Quotes an SQL identifier (schema, role) for interpolation into DDL and queries. */
export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Key of the advisory lock that projector batches hold shared and a rebuild swap holds exclusive. */
export const SWAP_LOCK_KEY = 7_361_029_384;

/** Key of the advisory lock that serializes read-model refreshers (one snapshot order, no lost update). */
export const REFRESH_LOCK_KEY = 7_361_029_385;
