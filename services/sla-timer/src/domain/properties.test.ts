import type { EnvelopePayload } from '@switchboard/contracts';
import { msFromTs } from '@switchboard/contracts';
import fc from 'fast-check';
import {
  abandoned,
  agentMessage,
  assigned,
  Channel,
  configApplied,
  customerMessage,
  dequeued,
  escalated,
  match,
  queued,
  reopened,
  resolved,
  Scenario,
  started,
  TargetKind,
  target,
  transferredToQueue,
  weekdays,
} from '../../test/support/scenario';
import { decide } from './decide';
import { evolve, evolveInput } from './evolve';
import { encodeSnapshot, restoreSnapshot } from './snapshot';
import type { SlaEvent } from './types';

const TICK = 1000;
const T0 = Date.UTC(2026, 10, 20, 15, 30); // Friday afternoon in Berlin: business hours matter

type Action =
  | { kind: 'input'; conv: number; what: string; arg: number; gap: number; repeat: boolean }
  | { kind: 'config'; seconds: number; gap: number };

const actionArb: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 12,
    arbitrary: fc.record({
      kind: fc.constant('input' as const),
      conv: fc.integer({ min: 0, max: 3 }),
      // Weighted towards the messages that move clocks; closing is rarer so that clocks live a while.
      what: fc.constantFrom(
        ...['started', 'started', 'customer', 'customer', 'customer', 'agent', 'agent', 'agent'],
        ...[
          'queued',
          'queued',
          'assigned',
          'escalated',
          'transferred',
          'dequeued',
          'reopened',
          'resolved',
          'abandoned',
        ],
      ),
      arg: fc.integer({ min: 0, max: 12 }),
      gap: fc.oneof(fc.integer({ min: 0, max: 5_000 }), fc.integer({ min: 0, max: 60_000 })),
      repeat: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('config' as const),
      seconds: fc.integer({ min: 1, max: 90 }),
      gap: fc.integer({ min: 0, max: 10_000 }),
    }),
  },
);

const config = (seconds: number) =>
  configApplied(
    seconds,
    [
      {
        id: 'vip',
        match: match({ minPriority: 5 }),
        pauseWhilePending: true,
        targets: [
          target(TargetKind.FIRST_RESPONSE, seconds, [50, 80]),
          target(TargetKind.RESOLUTION, seconds * 4, [75]),
          target(TargetKind.TIME_TO_ASSIGNMENT, 20, [50]),
        ],
      },
      {
        id: 'billing',
        match: match({ queueIds: ['billing'] }),
        calendarId: 'berlin',
        targets: [
          target(TargetKind.FIRST_RESPONSE, 30, [90]),
          target(TargetKind.NEXT_RESPONSE, seconds, [25, 50]),
        ],
      },
      {
        id: 'standard',
        pauseWhilePending: seconds % 2 === 0,
        targets: [
          target(TargetKind.FIRST_RESPONSE, 60, [75, 90]),
          target(TargetKind.NEXT_RESPONSE, 45, [50]),
          target(TargetKind.RESOLUTION, 300),
          target(TargetKind.TIME_TO_ASSIGNMENT, 40),
        ],
      },
    ],
    [{ id: 'berlin', timeZone: 'Europe/Berlin', weekly: weekdays(9 * 60, 16 * 60 + 31), holidays: [] }],
  );

function payloadOf(a: Extract<Action, { kind: 'input' }>, conv: string): EnvelopePayload {
  switch (a.what) {
    case 'started':
      return started(a.arg % 2 ? Channel.VOICE : Channel.CHAT);
    case 'customer':
      return customerMessage();
    case 'agent':
      return agentMessage();
    case 'resolved':
      return resolved();
    case 'abandoned':
      return abandoned();
    case 'reopened':
      return reopened();
    case 'queued':
      return queued(conv, a.arg % 3 === 0 ? 'billing' : 'sales', a.arg);
    case 'assigned':
      return assigned(conv);
    case 'escalated':
      return escalated(conv, 'sales', a.arg);
    case 'transferred':
      return transferredToQueue(conv, a.arg % 2 ? 'billing' : 'sales');
    default:
      return dequeued(conv);
  }
}

/** Runs the actions with a tick every TICK ms of fake time, then closes every conversation. */
function run(actions: Action[]): { s: Scenario; tickNow: Map<SlaEvent, number> } {
  const s = new Scenario();
  const tickNow = new Map<SlaEvent, number>();
  let now = T0;
  let nextTick = T0 + TICK;
  const advance = (to: number) => {
    while (nextTick <= to) {
      for (const e of s.tick(nextTick)) tickNow.set(e, nextTick);
      nextTick += TICK;
    }
    now = to;
  };
  s.input('acme', config(30), now);
  const sent: { id: string; conv: string; payload: EnvelopePayload }[] = [];
  actions.forEach((a, i) => {
    advance(now + a.gap);
    if (a.kind === 'config') s.input('acme', config(a.seconds), now);
    else if (a.repeat && sent.length > 0) {
      const old = sent[a.arg % sent.length]!;
      s.input(old.conv, old.payload, now, old.id);
    } else {
      const conv = `c${a.conv}`;
      const payload = payloadOf(a, conv);
      sent.push({ id: `e${i}`, conv, payload });
      s.input(conv, payload, now, `e${i}`);
    }
  });
  for (let c = 0; c < 4; c++) s.input(`c${c}`, resolved(), now, `close-${c}`);
  advance(now + 10 * TICK);
  return { s, tickNow };
}

const clockOf = (e: SlaEvent) => {
  const c = e.payload.value.clock!;
  return `${c.conversationId}/${c.target}/${c.sequence}`;
};

describe('SLA decider properties', () => {
  it('every clock ends exactly once (met, breached or cancelled), nothing follows its end, warnings are unique', () => {
    fc.assert(
      fc.property(fc.array(actionArb, { minLength: 5, maxLength: 60, size: 'max' }), (actions) => {
        const { s } = run(actions);
        const ended = new Map<string, string>();
        const warned = new Set<string>();
        const startedClocks = new Set<string>();
        for (const e of s.all) {
          const key = clockOf(e);
          expect(ended.has(key)).toBe(false); // nothing after the end, so no warning after "met"
          if (e.payload.case === 'slaClockStarted') startedClocks.add(key);
          expect(startedClocks.has(key)).toBe(true);
          if (e.payload.case === 'slaWarningRaised') {
            const w = `${key}@${e.payload.value.thresholdPercent}`;
            expect(warned.has(w)).toBe(false);
            warned.add(w);
          }
          if (
            e.payload.case === 'slaMet' ||
            e.payload.case === 'slaBreached' ||
            e.payload.case === 'slaClockCancelled'
          )
            ended.set(key, e.payload.case);
        }
        expect([...startedClocks].filter((k) => !ended.has(k))).toEqual([]);
        expect(new Set(s.all.map((e) => e.eventId)).size).toBe(s.all.length);
        expect(s.state.timers.size).toBe(0);
      }),
      { numRuns: 150 },
    );
  });

  it('a timer fired by the tick is late by less than one tick, never early', () => {
    fc.assert(
      fc.property(fc.array(actionArb, { minLength: 5, maxLength: 60, size: 'max' }), (actions) => {
        const { tickNow } = run(actions);
        for (const [e, now] of tickNow) {
          const p = e.payload;
          const due =
            p.case === 'slaBreached'
              ? msFromTs(p.value.breachedAt)
              : p.case === 'slaWarningRaised'
                ? msFromTs(p.value.reachedAt)
                : Number.NaN;
          expect(now - due).toBeGreaterThanOrEqual(0);
          expect(now - due).toBeLessThan(TICK);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('snapshot + replay of the recorded inputs and SLA events equals the live state, and decides the same afterwards', () => {
    fc.assert(
      fc.property(
        fc.array(actionArb, { minLength: 5, maxLength: 50, size: 'max' }),
        fc.nat(),
        (actions, cut) => {
          const { s } = run(actions);
          const live = s.steps;
          const k = cut % live.length;
          // Rebuild the state at step k by replaying everything before it from an empty snapshot...
          const prefix = new Scenario();
          for (const step of live.slice(0, k)) {
            if (step.kind === 'input')
              evolveInput(
                prefix.state,
                {
                  eventId: step.eventId,
                  tenantId: 'acme',
                  aggregateId: step.aggregateId,
                  payload: step.payload,
                },
                step.now,
              );
            for (const e of step.out) evolve(prefix.state, e);
          }
          const restored = restoreSnapshot(encodeSnapshot(prefix.state)).state;
          // ...then decide the rest live on the restored state: same events as the original run.
          for (const step of live.slice(k)) {
            const command =
              step.kind === 'tick'
                ? ({ kind: 'tick' } as const)
                : ({
                    kind: 'input',
                    input: {
                      eventId: step.eventId,
                      tenantId: 'acme',
                      aggregateId: step.aggregateId,
                      payload: step.payload,
                    },
                  } as const);
            const out = decide(restored, command, step.now);
            expect(out.map((e) => e.eventId)).toEqual(step.out.map((e) => e.eventId));
            expect(out).toEqual(step.out);
            if (command.kind === 'input') evolveInput(restored, command.input, step.now);
            for (const e of out) evolve(restored, e);
          }
          expect(encodeSnapshot(restored)).toEqual(encodeSnapshot(s.state));
          // Recovery order of the service: changelog first, then inputs consumed since the snapshot.
          const recovered = restoreSnapshot(encodeSnapshot(prefix.state)).state;
          for (const step of live.slice(k)) for (const e of step.out) evolve(recovered, e);
          for (const step of live.slice(k))
            if (step.kind === 'input')
              evolveInput(
                recovered,
                {
                  eventId: step.eventId,
                  tenantId: 'acme',
                  aggregateId: step.aggregateId,
                  payload: step.payload,
                },
                step.now,
              );
          expect(encodeSnapshot(recovered)).toEqual(encodeSnapshot(s.state));
        },
      ),
      { numRuns: 60 },
    );
  });
});
