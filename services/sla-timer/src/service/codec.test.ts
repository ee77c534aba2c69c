import { create } from '@bufbuild/protobuf';
import { CsatSubmittedSchema, msFromTs, newEnvelope, SlaTarget } from '@switchboard/contracts';
import { assigned, Scenario, started, TargetKind, target } from '../../test/support/scenario';
import { envelopeToSlaEvent, inputMeaning, slaEventToEnvelope, snapshotOf, tickEnvelope } from './codec';

const T0 = Date.UTC(2026, 10, 23, 9, 0);
const env = (payload: Parameters<typeof newEnvelope>[0]['payload'], aggregateId = 'agg') =>
  newEnvelope({
    eventId: 'e1',
    tenantId: 'acme',
    aggregateId,
    occurredAtMs: T0 - 5000,
    recordedAtMs: T0,
    source: 'test',
    payload,
  });

describe('codec', () => {
  it('an input takes effect at its recorded time; a routing event names its conversation in the payload', () => {
    expect(inputMeaning(env(started(), 'c1'))).toMatchObject({
      kind: 'input',
      at: T0,
      input: { eventId: 'e1', tenantId: 'acme', aggregateId: 'c1' },
    });
    expect(inputMeaning(env(assigned('c9'), 'agent-7'))).toMatchObject({
      kind: 'input',
      input: { aggregateId: 'c9' },
    });
  });

  it('ignores payloads that change no fact, and reads a tick', () => {
    expect(inputMeaning(env({ case: 'csatSubmitted', value: create(CsatSubmittedSchema, {}) }))).toEqual({
      kind: 'ignored',
    });
    expect(inputMeaning(tickEnvelope('acme', 3, T0))).toEqual({ kind: 'tick', now: T0, partition: 3 });
    expect(snapshotOf(tickEnvelope('acme', 3, T0))).toBeUndefined();
  });

  it('an SLA event survives the trip through its changelog envelope', () => {
    const s = new Scenario();
    s.config(T0, [{ id: 'p', targets: [target(TargetKind.FIRST_RESPONSE, 60)] }]);
    const [event] = s.input('c1', started(), T0);
    expect(event).toBeDefined();
    const envelope = slaEventToEnvelope(event!, T0 + 1, 'corr');
    expect(envelope).toMatchObject({
      eventId: event!.eventId,
      tenantId: 'acme',
      aggregateId: 'c1',
      causationId: event!.causationId,
      correlationId: 'corr',
    });
    expect(msFromTs(envelope.occurredAt)).toBe(T0 + 1);
    expect(envelopeToSlaEvent(envelope)).toEqual(event);
    expect(event!.payload.value.clock?.target).toBe(SlaTarget.FIRST_RESPONSE);
    expect(envelopeToSlaEvent(env(started()))).toBeUndefined();
  });
});
