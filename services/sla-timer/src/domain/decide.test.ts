import {
  abandoned,
  agentMessage,
  assigned,
  Channel,
  customerMessage,
  dequeued,
  escalated,
  H,
  lines,
  MIN,
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

const T0 = Date.UTC(2026, 10, 23, 9, 0); // Monday 2026-11-23 09:00Z
const at = (minutes: number) => T0 + minutes * MIN;

const standard = {
  id: 'standard',
  targets: [
    target(TargetKind.FIRST_RESPONSE, 600, [75, 90]),
    target(TargetKind.NEXT_RESPONSE, 300, [50]),
    target(TargetKind.RESOLUTION, 4 * 3600),
    target(TargetKind.TIME_TO_ASSIGNMENT, 120, [50]),
  ],
};

describe('SLA decider: targets', () => {
  it('given a policy, when a conversation starts, then its first-response and resolution clocks start', () => {
    const s = new Scenario();
    s.config(at(0), [standard]);
    expect(lines(s.input('c1', started(), at(0)))).toEqual([
      'started c1/FIRST_RESPONSE/0 policy=standard target=600s due=2026-11-23T09:10Z',
      'started c1/RESOLUTION/0 policy=standard target=14400s due=2026-11-23T13:00Z',
    ]);
  });

  it('given a running first-response clock, when the agent answers in time, then it is met and warnings stop', () => {
    const s = new Scenario();
    s.config(at(0), [standard]);
    s.input('c1', started(), at(0));
    expect(lines(s.tick(at(8)))).toEqual(['warning c1/FIRST_RESPONSE/0 75% at=2026-11-23T09:07:30.000Z']);
    expect(lines(s.input('c1', agentMessage(), at(8) + 1000))).toEqual([
      'met c1/FIRST_RESPONSE/0 elapsed=481000ms',
    ]);
    expect(s.tick(at(60))).toEqual([]);
  });

  it('given no answer, when the ticks pass the thresholds and the target, then each warning and the breach fire once', () => {
    const s = new Scenario();
    s.config(at(0), [standard]);
    s.input('c1', started(), at(0));
    expect(lines(s.tick(at(9)))).toEqual([
      'warning c1/FIRST_RESPONSE/0 75% at=2026-11-23T09:07:30.000Z',
      'warning c1/FIRST_RESPONSE/0 90% at=2026-11-23T09:09Z',
    ]);
    expect(s.tick(at(9) + 500)).toEqual([]);
    expect(lines(s.tick(at(10) + 100))).toEqual(['breached c1/FIRST_RESPONSE/0 at=2026-11-23T09:10Z']);
    expect(s.tick(at(11))).toEqual([]);
    expect(lines(s.input('c1', agentMessage(), at(12)))).toEqual([]); // too late: no "met" after a breach
  });

  it('given a due clock the tick has not fired yet, when the late answer arrives, then it breaches at the due time', () => {
    const s = new Scenario();
    s.config(at(0), [{ id: 'p', targets: [target(TargetKind.FIRST_RESPONSE, 600)] }]);
    s.input('c1', started(), at(0));
    expect(lines(s.input('c1', agentMessage(), at(10) + 50))).toEqual([
      'breached c1/FIRST_RESPONSE/0 at=2026-11-23T09:10Z',
    ]);
  });

  it('given answered conversations, when the customer writes, then a numbered next-response clock runs until the next answer', () => {
    const s = new Scenario();
    s.config(at(0), [standard]);
    s.input('c1', started(), at(0));
    s.input('c1', agentMessage(), at(1));
    expect(lines(s.input('c1', customerMessage(), at(2)))).toEqual([
      'started c1/NEXT_RESPONSE/1 policy=standard target=300s due=2026-11-23T09:07Z',
    ]);
    expect(s.input('c1', customerMessage(), at(3))).toEqual([]); // still waiting for the same answer
    expect(lines(s.input('c1', agentMessage(), at(4)))).toEqual(['met c1/NEXT_RESPONSE/1 elapsed=120000ms']);
    expect(lines(s.input('c1', customerMessage(), at(5)))).toEqual([
      'started c1/NEXT_RESPONSE/2 policy=standard target=300s due=2026-11-23T09:10Z',
    ]);
  });

  it('given open clocks, when the conversation is resolved, then resolution is met and the rest are cancelled', () => {
    const s = new Scenario();
    s.config(at(0), [standard]);
    s.input('c1', started(), at(0));
    s.input('c1', agentMessage(), at(1));
    s.input('c1', customerMessage(), at(2));
    // The next-response clock was overdue (no tick yet): it breaches at its due time first.
    expect(lines(s.input('c1', resolved(), at(30)))).toEqual([
      'warning c1/NEXT_RESPONSE/1 50% at=2026-11-23T09:04:30.000Z',
      'breached c1/NEXT_RESPONSE/1 at=2026-11-23T09:07Z',
      'met c1/RESOLUTION/0 elapsed=1800000ms',
    ]);
    s.input('c2', started(), at(30));
    expect(lines(s.input('c2', resolved(), at(31)))).toEqual([
      'cancelled c2/FIRST_RESPONSE/0 resolved',
      'met c2/RESOLUTION/0 elapsed=60000ms',
    ]);
  });

  it('given open clocks, when the customer abandons, then every clock is cancelled with the reason', () => {
    const s = new Scenario();
    s.config(at(0), [standard]);
    s.input('c1', started(), at(0));
    s.input('c1', queued('c1', 'sales', 1), at(0));
    expect(lines(s.input('c1', abandoned(), at(0.5)))).toEqual([
      'cancelled c1/FIRST_RESPONSE/0 abandoned',
      'cancelled c1/RESOLUTION/0 abandoned',
      'cancelled c1/TIME_TO_ASSIGNMENT/0 abandoned',
    ]);
    expect(s.tick(at(600))).toEqual([]);
  });

  it('given a queued conversation, when it is assigned, re-queued and dequeued, then each queueing has its own clock', () => {
    const s = new Scenario();
    s.config(at(0), [standard]);
    s.input('c1', started(), at(0));
    expect(lines(s.input('c1', queued('c1', 'sales', 1), at(0)))).toEqual([
      'started c1/TIME_TO_ASSIGNMENT/0 policy=standard target=120s due=2026-11-23T09:02Z',
    ]);
    expect(lines(s.input('c1', assigned('c1', 'sales'), at(0.5)))).toEqual([
      'met c1/TIME_TO_ASSIGNMENT/0 elapsed=30000ms',
    ]);
    expect(lines(s.input('c1', queued('c1', 'sales', 1), at(5)))).toEqual([
      'started c1/TIME_TO_ASSIGNMENT/1 policy=standard target=120s due=2026-11-23T09:07Z',
    ]);
    expect(lines(s.input('c1', dequeued('c1'), at(5.5)))).toEqual([
      'cancelled c1/TIME_TO_ASSIGNMENT/1 dequeued',
    ]);
  });
});

describe('SLA decider: policy matching and re-evaluation', () => {
  const vip = {
    id: 'vip',
    match: match({ minPriority: 10, customerTiers: ['gold'] }),
    targets: [target(TargetKind.FIRST_RESPONSE, 120)],
  };
  const voice = {
    id: 'voice',
    match: match({ channels: [Channel.VOICE] }),
    targets: [target(TargetKind.FIRST_RESPONSE, 30)],
  };
  const billing = {
    id: 'billing',
    match: match({ queueIds: ['billing'] }),
    targets: [target(TargetKind.FIRST_RESPONSE, 900)],
  };
  const fallback = { id: 'fallback', targets: [target(TargetKind.FIRST_RESPONSE, 600)] };

  it('given ordered policies, when conversations differ in channel, tier, queue and priority, then the first match wins', () => {
    const s = new Scenario();
    s.config(at(0), [vip, voice, billing, fallback]);
    expect(lines(s.input('voice-call', started(Channel.VOICE, 'gold'), at(0)))).toEqual([
      'started voice-call/FIRST_RESPONSE/0 policy=voice target=30s due=2026-11-23T09:00:30.000Z',
    ]);
    expect(lines(s.input('chat', started(Channel.CHAT, 'gold'), at(0)))).toEqual([
      'started chat/FIRST_RESPONSE/0 policy=fallback target=600s due=2026-11-23T09:10Z',
    ]);
    s.input('bill', started(Channel.EMAIL), at(0));
    expect(lines(s.input('bill', queued('bill', 'billing', 1, Channel.EMAIL), at(1)))).toEqual([
      'started bill/FIRST_RESPONSE/0 policy=billing target=900s due=2026-11-23T09:15Z from=fallback elapsed=60000ms',
    ]);
  });

  it('given a running clock, when the priority is raised into a stricter policy, then it is re-evaluated keeping the elapsed time', () => {
    const s = new Scenario();
    s.config(at(0), [vip, fallback]);
    s.input('c1', started(Channel.CHAT, 'gold'), at(0));
    s.input('c1', queued('c1', 'sales', 1), at(0));
    expect(lines(s.input('c1', escalated('c1', 'sales', 10), at(1)))).toEqual([
      'started c1/FIRST_RESPONSE/0 policy=vip target=120s due=2026-11-23T09:02Z from=fallback elapsed=60000ms',
    ]);
    expect(lines(s.tick(at(2)))).toEqual(['breached c1/FIRST_RESPONSE/0 at=2026-11-23T09:02Z']);
  });

  it('given elapsed time beyond the new target, when re-evaluated, then it breaches at the re-evaluation', () => {
    const s = new Scenario();
    s.config(at(0), [vip, fallback]);
    s.input('c1', started(Channel.CHAT, 'gold'), at(0));
    expect(lines(s.input('c1', escalated('c1', 'sales', 12), at(5)))).toEqual([
      'started c1/FIRST_RESPONSE/0 policy=vip target=120s due=2026-11-23T09:05Z from=fallback elapsed=300000ms',
      'breached c1/FIRST_RESPONSE/0 at=2026-11-23T09:05Z',
    ]);
  });

  it('given a queue-specific policy only, when a transfer moves the conversation out of the queue, then its clocks are cancelled', () => {
    const s = new Scenario();
    s.config(at(0), [billing]);
    s.input('c1', started(), at(0));
    expect(s.all).toEqual([]); // no policy matches before routing queues it
    expect(lines(s.input('c1', queued('c1', 'billing', 1), at(2)))).toEqual([
      'started c1/FIRST_RESPONSE/0 policy=billing target=900s due=2026-11-23T09:15Z', // counts from the start
    ]);
    expect(lines(s.input('c1', transferredToQueue('c1', 'sales'), at(3)))).toEqual([
      'cancelled c1/FIRST_RESPONSE/0 policy_no_longer_applies',
    ]);
  });

  it('given a running clock, when a new config changes the target, then it is re-evaluated; an invalid config is ignored', () => {
    const s = new Scenario();
    s.config(at(0), [fallback]);
    s.input('c1', started(), at(0));
    expect(
      lines(s.config(at(2), [{ id: 'fallback', targets: [target(TargetKind.FIRST_RESPONSE, 300)] }])),
    ).toEqual([
      'started c1/FIRST_RESPONSE/0 policy=fallback target=300s due=2026-11-23T09:05Z from=fallback elapsed=120000ms',
    ]);
    expect(s.config(at(3), [{ id: '', targets: [] }])).toEqual([]);
    expect(s.state.tenants.get('acme')?.config?.policies[0]?.targets.get(1)?.seconds).toBe(300);
  });
});

describe('SLA decider: pause, reopen, idempotency', () => {
  const pausing = {
    id: 'email',
    pauseWhilePending: true,
    targets: [target(TargetKind.RESOLUTION, 3600, [50])],
  };

  it('given a pausing policy, when the agent waits on the customer, then resolution pauses and resumes with the paused time added', () => {
    const s = new Scenario();
    s.config(at(0), [pausing]);
    s.input('c1', started(), at(0));
    expect(lines(s.input('c1', agentMessage(), at(10)))).toEqual(['paused c1/RESOLUTION/0 elapsed=600000ms']);
    expect(s.tick(at(200))).toEqual([]); // a paused clock never fires
    expect(lines(s.input('c1', customerMessage(), at(300)))).toEqual([
      'resumed c1/RESOLUTION/0 due=2026-11-23T14:50Z',
    ]);
    expect(lines(s.tick(at(320)))).toEqual(['warning c1/RESOLUTION/0 50% at=2026-11-23T14:20Z']);
  });

  it('given a resolved conversation, when it is reopened, then a new resolution clock counts from the reopen', () => {
    const s = new Scenario();
    s.config(at(0), [pausing]);
    s.input('c1', started(), at(0));
    s.input('c1', resolved(), at(5));
    expect(lines(s.input('c1', reopened(), at(60)))).toEqual([
      'started c1/RESOLUTION/1 policy=email target=3600s due=2026-11-23T11:00Z',
    ]);
  });

  it('given an input already seen, when it comes again, then nothing happens', () => {
    const s = new Scenario();
    s.config(at(0), [pausing]);
    expect(s.input('c1', started(), at(0), 'evt-7')).toHaveLength(1);
    expect(s.input('c1', started(), at(1), 'evt-7')).toEqual([]);
    expect(s.input('c1', resolved(), at(2), 'evt-8')).toHaveLength(1);
    expect(s.input('c1', resolved(), at(3), 'evt-8')).toEqual([]);
  });

  it('derives event ids from the clock and the cause, so a replayed decision has the same id', () => {
    const s = new Scenario();
    s.config(at(0), [pausing]);
    s.input('c1', started(), at(0), 'evt-1');
    s.input('c1', agentMessage(), at(1), 'evt-2');
    s.input('c1', customerMessage(), at(2), 'evt-3');
    s.tick(at(120));
    expect(s.all.map((e) => [e.eventId, e.causationId])).toEqual([
      ['sla/acme/c1/RESOLUTION/0/started', 'evt-1'],
      ['sla/acme/c1/RESOLUTION/0/paused/evt-2', 'evt-2'],
      ['sla/acme/c1/RESOLUTION/0/resumed/evt-3', 'evt-3'],
      ['sla/acme/c1/RESOLUTION/0/warning/50', ''],
      ['sla/acme/c1/RESOLUTION/0/breached', ''],
    ]);
  });
});

describe('SLA decider: business hours', () => {
  const berlin = {
    id: 'berlin',
    timeZone: 'Europe/Berlin',
    weekly: [...weekdays(9 * 60, 17 * 60)],
    holidays: ['2026-12-25'],
  };
  const office = {
    id: 'office',
    calendarId: 'berlin',
    targets: [target(TargetKind.FIRST_RESPONSE, 2 * 3600, [50])],
  };

  it('given Friday afternoon, when a conversation starts, then the deadline is on Monday and the weekend does not count', () => {
    const s = new Scenario();
    const fri = Date.UTC(2026, 10, 20, 15); // Fri 16:00 Berlin
    s.config(fri, [office], [berlin]);
    expect(lines(s.input('c1', started(), fri))).toEqual([
      'started c1/FIRST_RESPONSE/0 policy=office target=7200s due=2026-11-23T09:00Z',
    ]);
    expect(lines(s.tick(Date.UTC(2026, 10, 22, 12)))).toEqual([
      'warning c1/FIRST_RESPONSE/0 50% at=2026-11-20T16:00Z',
    ]);
    expect(s.tick(Date.UTC(2026, 10, 23, 8, 59))).toEqual([]);
    expect(lines(s.tick(Date.UTC(2026, 10, 23, 9, 0, 0, 100)))).toEqual([
      'breached c1/FIRST_RESPONSE/0 at=2026-11-23T09:00Z',
    ]);
  });

  it('given the daylight-saving change over the weekend, when counting to Monday, then Monday opens at 09:00 summer time', () => {
    const s = new Scenario();
    const fri = Date.UTC(2026, 2, 27, 15); // Fri 16:00 CET; Sunday clocks go forward
    s.config(fri, [office], [berlin]);
    expect(lines(s.input('c1', started(), fri))).toEqual([
      'started c1/FIRST_RESPONSE/0 policy=office target=7200s due=2026-03-30T08:00Z', // Mon 10:00 CEST
    ]);
  });

  it('given a holiday, when counting through it, then the holiday is skipped', () => {
    const s = new Scenario();
    const thu = Date.UTC(2026, 11, 24, 15); // Thu 16:00 CET, Friday is a holiday
    s.config(thu, [office], [berlin]);
    expect(lines(s.input('c1', started(), thu))).toEqual([
      'started c1/FIRST_RESPONSE/0 policy=office target=7200s due=2026-12-28T09:00Z',
    ]);
  });

  it('given a conversation started at night, when business hours pause, then elapsed time counts open hours only', () => {
    const s = new Scenario();
    const night = Date.UTC(2026, 10, 23, 22); // Mon 23:00 Berlin
    s.config(night, [office], [berlin]);
    s.input('c1', started(), night);
    // Opens Tuesday 09:00 Berlin (08:00Z); the answer at 10:30 Berlin counted 90 minutes.
    expect(lines(s.input('c1', agentMessage(), Date.UTC(2026, 10, 24, 9, 30)))).toEqual([
      'warning c1/FIRST_RESPONSE/0 50% at=2026-11-24T09:00Z',
      'met c1/FIRST_RESPONSE/0 elapsed=5400000ms',
    ]);
  });

  it('given calendars in two zones, when the same instant starts two conversations, then each counts in its own zone', () => {
    const s = new Scenario();
    const tokyo = { id: 'tokyo', timeZone: 'Asia/Tokyo', weekly: weekdays(9 * 60, 17 * 60), holidays: [] };
    s.config(
      at(0),
      [
        {
          id: 'jp',
          match: match({ customerTiers: ['jp'] }),
          calendarId: 'tokyo',
          targets: [target(TargetKind.FIRST_RESPONSE, 3600)],
        },
        { id: 'de', calendarId: 'berlin', targets: [target(TargetKind.FIRST_RESPONSE, 3600)] },
      ],
      [berlin, tokyo],
    );
    const instant = Date.UTC(2026, 10, 24, 7, 30); // Tue 16:30 Tokyo, 08:30 Berlin
    expect(
      lines([...s.input('jp', started(Channel.CHAT, 'jp'), instant), ...s.input('de', started(), instant)]),
    ).toEqual([
      'started jp/FIRST_RESPONSE/0 policy=jp target=3600s due=2026-11-25T00:30Z', // Wed 09:30 Tokyo
      'started de/FIRST_RESPONSE/0 policy=de target=3600s due=2026-11-24T09:00Z', // Tue 10:00 Berlin
    ]);
    expect(H).toBe(3_600_000);
  });
});
