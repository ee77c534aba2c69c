import type { Fact } from './fact';

/** The facts of a batch, one per (tenant, event id): later copies of an event id are dropped, pure. */
export function dedupeFacts(input: readonly Fact[]): Fact[] {
  const seen = new Set<string>();
  const facts: Fact[] = [];
  for (const f of input) {
    const id = `${f.tenantId}\u0000${f.eventId}`;
    if (seen.has(id)) continue;
    seen.add(id);
    facts.push(f);
  }
  return facts;
}
