import type { EscalationStep } from './config';
import { nextDeadline } from './decide';
import { config, offeredTo, ofType, Routing, req } from './testing/harness';

const step = (s: Partial<EscalationStep>): EscalationStep => ({
  afterSeconds: 0,
  onSlaWarning: false,
  onSlaBreach: false,
  relaxMinProficiencyBy: 0,
  dropOptionalSkills: false,
  raisePriorityBy: 0,
  overflowQueueId: '',
  ...s,
});

function tenant(escalation: EscalationStep[]) {
  const r = new Routing();
  r.configure(
    config({
      skills: [
        { id: 'billing', name: 'b' },
        { id: 'vip', name: 'v' },
        { id: 'general', name: 'g' },
      ],
      queues: [
        { id: 'billing', defaultSkills: [req('billing', 4), req('vip', 3, true)], escalation },
        { id: 'overflow', defaultSkills: [req('general')], defaultPriority: 3 },
      ],
      defaultQueueId: 'billing',
    }),
  );
  return r;
}

describe('escalation (bullseye)', () => {
  test('after T seconds waiting the minimum proficiency is relaxed and a less skilled agent takes it', () => {
    const r = tenant([step({ afterSeconds: 60, relaxMinProficiencyBy: 2 })]);
    r.agent('junior', { billing: 2, vip: 1 }, { chat: 1 });
    r.start('c1');
    expect(r.status('c1')?.status).toBe('waiting');
    expect(nextDeadline(r.state)).toBe(r.now + 60_000);
    expect(r.advance(59)).toEqual([]);
    const events = r.advance(1);
    expect(ofType(events, 'ConversationEscalated')).toMatchObject([
      {
        stepIndex: 0,
        trigger: 'wait_time',
        newQueueId: 'billing',
        requiredSkills: [req('billing', 2), req('vip', 1, true)],
      },
    ]);
    expect(offeredTo(events)).toEqual([['c1', 'junior']]);
  });

  test('optional skills can be dropped', () => {
    const r = tenant([step({ afterSeconds: 30, dropOptionalSkills: true })]);
    r.agent('no-vip', { billing: 5 }, { chat: 1 });
    r.start('c1');
    const events = r.advance(30);
    expect(ofType(events, 'ConversationEscalated')[0]?.requiredSkills).toEqual([req('billing', 4)]);
    expect(offeredTo(events)).toEqual([['c1', 'no-vip']]);
  });

  test('raising the priority moves the conversation ahead of others', () => {
    const r = tenant([step({ afterSeconds: 30, raisePriorityBy: 5 })]);
    r.agent('a1', { billing: 5, vip: 5 }, { chat: 1 });
    r.start('first');
    r.accept('first');
    r.start('old');
    r.advance(20);
    r.start('young');
    r.advance(10); // old escalates to priority 5
    r.now += 25_000;
    r.start('newer');
    r.advance(5); // young escalates too
    expect(r.state.conversations.get('old')?.priority).toBe(5);
    const events = r.when({
      type: 'CompleteConversation',
      agentId: 'a1',
      conversationId: 'first',
      wrapUpSeconds: 0,
    });
    expect(offeredTo(events)).toEqual([['old', 'a1']]);
  });

  test('overflow moves it into another queue, keeping its waiting time', () => {
    const r = tenant([step({ afterSeconds: 45, overflowQueueId: 'overflow' })]);
    r.start('c1');
    const since = r.state.conversations.get('c1')?.waitingSince;
    r.advance(45);
    const c = r.state.conversations.get('c1');
    expect(c).toMatchObject({
      queueId: 'overflow',
      priority: 3,
      requirements: [req('general')],
      waitingSince: since,
    });
    expect(r.state.queues.get('billing')?.waiting).toBe(0);
    expect(r.state.queues.get('overflow')?.waiting).toBe(1);
  });

  test('steps apply in order and cumulatively; a late tick applies every due step', () => {
    const r = tenant([
      step({ afterSeconds: 10, raisePriorityBy: 1 }),
      step({ afterSeconds: 20, raisePriorityBy: 1 }),
      step({ afterSeconds: 30, relaxMinProficiencyBy: 1 }),
    ]);
    r.start('c1');
    const events = r.advance(25);
    expect(ofType(events, 'ConversationEscalated').map((e) => [e.stepIndex, e.newPriority])).toEqual([
      [0, 1],
      [1, 2],
    ]);
    expect(nextDeadline(r.state)).toBe(r.now + 5_000);
  });

  test('an SLA warning triggers the next step flagged for warnings (and the steps before it)', () => {
    const r = tenant([
      step({ afterSeconds: 300, raisePriorityBy: 1 }),
      step({ onSlaWarning: true, relaxMinProficiencyBy: 3 }),
    ]);
    r.agent('junior', { billing: 1, vip: 1 }, { chat: 1 });
    r.start('c1');
    const events = r.when({ type: 'EscalateOnSla', conversationId: 'c1', kind: 'warning' });
    expect(ofType(events, 'ConversationEscalated').map((e) => [e.stepIndex, e.trigger])).toEqual([
      [0, 'sla_warning'],
      [1, 'sla_warning'],
    ]);
    expect(offeredTo(events)).toEqual([['c1', 'junior']]);
  });

  test('an SLA breach triggers steps flagged for breaches only', () => {
    const r = tenant([
      step({ onSlaWarning: true, raisePriorityBy: 1 }),
      step({ onSlaBreach: true, overflowQueueId: 'overflow' }),
    ]);
    r.start('c1');
    const events = r.when({ type: 'EscalateOnSla', conversationId: 'c1', kind: 'breach' });
    expect(
      ofType(events, 'ConversationEscalated').map((e) => [e.stepIndex, e.trigger, e.newQueueId]),
    ).toEqual([
      [0, 'sla_breach', 'billing'],
      [1, 'sla_breach', 'overflow'],
    ]);
  });

  test('conversations that are not waiting do not escalate', () => {
    const r = tenant([step({ onSlaWarning: true, raisePriorityBy: 1 })]);
    r.agent('a1', { billing: 5, vip: 5 }, { chat: 1 });
    r.start('c1');
    expect(r.when({ type: 'EscalateOnSla', conversationId: 'c1', kind: 'warning' })).toEqual([]);
  });
});
