import fc from 'fast-check';
import { dedupeFacts } from './batch';
import { emptyFact, type Fact, type FactKind } from './fact';

const fact = (eventId: string, kind: FactKind, occurredAtMs: number, extra: Partial<Fact> = {}): Fact => ({
  ...emptyFact({ tenantId: 't1', eventId, kind, occurredAtMs }),
  ...extra,
});

describe('dedupeFacts', () => {
  it('keeps the first copy of an event id and drops the rest', () => {
    const facts = dedupeFacts([
      fact('e1', 'csat_submitted', 1, { conversationId: 'c1', value: 5 }),
      fact('e1', 'csat_submitted', 2, { conversationId: 'c1', value: 1 }),
      fact('e2', 'csat_submitted', 2, { conversationId: 'c1', value: 1 }),
    ]);
    expect(facts.map((f) => [f.eventId, f.value])).toEqual([
      ['e1', 5],
      ['e2', 1],
    ]);
  });

  it('keeps tenants apart: the same event id in two tenants is two facts', () => {
    const facts = dedupeFacts([
      fact('e1', 'conversation_started', 1, { conversationId: 'c1' }),
      { ...fact('e1', 'conversation_started', 1, { conversationId: 'c1' }), tenantId: 't2' },
    ]);
    expect(facts.map((f) => f.tenantId)).toEqual(['t1', 't2']);
  });

  it('keeps exactly one fact per (tenant, event id), whatever the input', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ id: fc.integer({ min: 0, max: 9 }), tenant: fc.constantFrom('t1', 't2') })),
        (items) => {
          const facts = dedupeFacts(
            items.map((i) => ({
              ...fact(`e${i.id}`, 'conversation_started', 1, { conversationId: 'c' }),
              tenantId: i.tenant,
            })),
          );
          const keys = facts.map((f) => `${f.tenantId}/${f.eventId}`);
          expect(new Set(keys).size).toBe(keys.length);
          expect(new Set(keys)).toEqual(new Set(items.map((i) => `${i.tenant}/e${i.id}`)));
        },
      ),
    );
  });
});
