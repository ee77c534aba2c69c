import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeEnvelope, encodeEnvelope } from '@switchboard/contracts';
import type { RoutingCommand } from './commands';
import { decide } from './decide';
import { eventFromEnvelope, eventToEnvelope } from './envelope-mapping';
import type { RoutingEvent } from './events';
import { listQueueStats } from './queries';
import { fromSnapshot, toSnapshot } from './snapshot';
import { createState, evolve, evolveAll, type TenantRoutingState } from './state';
import { violations } from './testing/invariants';

/** A recorded day (bench/record-day.ts): 60 agents in two shifts, ~1000 conversations, 10 hours. */
const day: { now: number; cmd: RoutingCommand }[] = readFileSync(
  join(__dirname, '../../test/fixtures/day-of-traffic.jsonl'),
  'utf8',
)
  .split('\n')
  .filter((line) => line.length > 0)
  .map((line) => JSON.parse(line));

function replay(state: TenantRoutingState, inputs: typeof day, check?: (events: RoutingEvent[]) => void) {
  const all: RoutingEvent[][] = [];
  for (const { now, cmd } of inputs) {
    const events = decide(state, cmd, now);
    evolveAll(state, events);
    all.push(events);
    check?.(events);
  }
  return all;
}

describe('a recorded day of traffic', () => {
  const started = new Set<string>();
  const state = createState();
  const problems: string[] = [];
  let i = 0;
  const events = replay(state, day, (out) => {
    const { cmd } = day[i++] as (typeof day)[number];
    if (cmd.type === 'StartConversation') started.add(cmd.conversationId);
    problems.push(...violations(state, started, out));
  }).flat();
  const count = (type: string) => events.filter((e) => e.type === type).length;

  test('the invariants hold after every input', () => {
    expect(problems).toEqual([]);
  });

  test('every conversation of the day ends completed or abandoned; nobody holds anything after closing', () => {
    const open = [...started].filter((id) => {
      const status = state.conversations.get(id)?.status;
      return status !== 'completed' && status !== 'abandoned';
    });
    expect(open).toEqual([]);
    expect([...state.agents.values()].filter((a) => a.heldTotal > 0)).toEqual([]);
    expect(listQueueStats(state, day.at(-1)?.now ?? 0).every((q) => q.waiting === 0)).toBe(true);
  });

  test('the outcomes of the day', () => {
    const completed = events.filter(
      (e) => e.type === 'ConversationReleased' && e.reason === 'completed',
    ).length;
    const abandoned =
      events.filter((e) => e.type === 'ConversationDequeued' && e.reason === 'abandoned').length +
      events.filter((e) => e.type === 'ConversationReleased' && e.reason === 'abandoned').length;
    expect({
      started: started.size,
      queued: count('ConversationQueued'),
      offered: count('ConversationOffered'),
      assigned: count('ConversationAssigned'),
      declined: count('OfferDeclined'),
      expired: count('OfferExpired'),
      escalated: count('ConversationEscalated'),
      transferred: count('ConversationTransferred'),
      completed,
      abandoned,
    }).toMatchSnapshot();
    // Every accepted offer became an assignment; conversations that started were either served or left.
    expect(count('ConversationAssigned')).toBe(day.filter(({ cmd }) => cmd.type === 'AcceptOffer').length);
    expect(completed + abandoned).toBeGreaterThanOrEqual(started.size);
  });

  test('replaying the same inputs gives the same events', () => {
    expect(replay(createState(), day).flat()).toEqual(events);
  });

  test('a snapshot at midday plus the rest of the changelog equals the live state at closing', () => {
    const half = Math.floor(day.length / 2);
    const midday = createState();
    const perInput = replay(midday, day.slice(0, half));
    expect(perInput.flat()).toEqual(events.slice(0, perInput.flat().length));
    const restored = fromSnapshot(toSnapshot(midday));
    for (const e of events.slice(perInput.flat().length)) evolve(restored, e);
    expect(toSnapshot(restored)).toEqual(toSnapshot(state));
  });

  test('every event survives the trip through its protobuf envelope', () => {
    for (const e of events) {
      const back = eventFromEnvelope(
        decodeEnvelope(encodeEnvelope(eventToEnvelope('tenant-1', e, 'routing'))),
      );
      expect(back).toEqual(e);
    }
  });
});
