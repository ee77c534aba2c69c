import {
  agentMessage,
  lines,
  MIN,
  queued,
  Scenario,
  started,
  TargetKind,
  target,
} from '../../test/support/scenario';
import { decide } from './decide';
import { evolve } from './evolve';
import { encodeSnapshot, restoreSnapshot } from './snapshot';

describe('snapshot', () => {
  it('given running, paused and closed clocks, when snapshotted and restored, then the state and the timers come back', () => {
    const s = new Scenario();
    const t0 = Date.UTC(2026, 10, 23, 9);
    s.config(t0, [
      {
        id: 'p',
        pauseWhilePending: true,
        targets: [
          target(TargetKind.FIRST_RESPONSE, 60, [50]),
          target(TargetKind.RESOLUTION, 3600),
          target(TargetKind.TIME_TO_ASSIGNMENT, 600),
        ],
      },
    ]);
    s.input('a', started(), t0);
    s.input('b', started(), t0);
    s.input('b', queued('b', 'q', 1), t0);
    s.input('b', agentMessage(), t0 + MIN / 2);
    s.tick(t0 + 2 * MIN);
    const bytes = encodeSnapshot(s.state, {
      inputOffsets: [{ topic: 'switchboard.conversations.v1', partition: 3, offset: 42n }],
      changelogOffset: 7n,
    });
    const back = restoreSnapshot(bytes);
    expect(back.changelogOffset).toBe(7n);
    expect(back.inputOffsets.map((o) => [o.topic, o.partition, o.offset])).toEqual([
      ['switchboard.conversations.v1', 3, 42n],
    ]);
    expect(
      encodeSnapshot(back.state, {
        inputOffsets: [{ topic: 'switchboard.conversations.v1', partition: 3, offset: 42n }],
        changelogOffset: 7n,
      }),
    ).toEqual(bytes);
    // a: first response breached, resolution running; b: waits on the customer, every clock paused
    expect(back.state.timers.size).toBe(s.state.timers.size);
    expect(back.state.timers.size).toBe(1);
    expect(back.state.timers.peekDeadline()).toBe(s.state.timers.peekDeadline());
    expect(back.state.tenants.get('acme')?.seen.has('in-2')).toBe(true);
  });

  it('given a crash with clocks due during the downtime, when restored and ticked, then each overdue timer fires once with its own time', () => {
    const s = new Scenario();
    const t0 = Date.UTC(2026, 10, 23, 9);
    s.config(t0, [
      { id: 'p', targets: [target(TargetKind.FIRST_RESPONSE, 60, [50]), target(TargetKind.RESOLUTION, 600)] },
    ]);
    s.input('a', started(), t0);
    s.input('b', started(), t0 + MIN);
    const crashed = encodeSnapshot(s.state); // the process dies here; an hour passes
    const { state } = restoreSnapshot(crashed);
    const first = decide(state, { kind: 'tick' }, t0 + 60 * MIN);
    expect(lines(first)).toEqual([
      'warning a/FIRST_RESPONSE/0 50% at=2026-11-23T09:00:30.000Z',
      'breached a/FIRST_RESPONSE/0 at=2026-11-23T09:01Z',
      'warning b/FIRST_RESPONSE/0 50% at=2026-11-23T09:01:30.000Z',
      'breached b/FIRST_RESPONSE/0 at=2026-11-23T09:02Z',
      'breached a/RESOLUTION/0 at=2026-11-23T09:10Z',
      'breached b/RESOLUTION/0 at=2026-11-23T09:11Z',
    ]);
    for (const e of first) evolve(state, e);
    expect(decide(state, { kind: 'tick' }, t0 + 61 * MIN)).toEqual([]);
    // A second crash before the first tick's events were committed decides the same events, same ids.
    const again = restoreSnapshot(crashed).state;
    expect(decide(again, { kind: 'tick' }, t0 + 62 * MIN).map((e) => e.eventId)).toEqual(
      first.map((e) => e.eventId),
    );
  });
});
