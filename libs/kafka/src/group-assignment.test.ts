import pino from 'pino';
import { GroupAssignment, sessionTimeouts } from './group-assignment';
import type { TopicPartition } from './types';

const silent = pino({ level: 'silent' });

function recorder() {
  const calls: string[] = [];
  let release: () => void = () => undefined;
  const gate = new Promise<void>((r) => {
    release = r;
  });
  const hooks = {
    onAssigned: async (parts: TopicPartition[]) => {
      await gate;
      calls.push(`assigned ${parts.map((p) => p.partition).join(',')}`);
    },
    onRevoked: async (parts: TopicPartition[]) => {
      calls.push(`revoked ${parts.map((p) => p.partition).join(',')}`);
    },
  };
  return { calls, hooks, release };
}

describe('GroupAssignment', () => {
  it('given successive joins, then hooks run in order, revoke before assign, and settled() waits for them', async () => {
    const { calls, hooks, release } = recorder();
    const assignment = new GroupAssignment(hooks, silent);
    assignment.onGroupJoin({ in: [0, 1] });
    assignment.onGroupJoin({ in: [1, 2] });
    let settled = false;
    const waiting = assignment.settled().then(() => {
      settled = true;
    });
    await Promise.resolve();
    expect(settled).toBe(false);
    release();
    await waiting;
    expect(calls).toEqual(['assigned 0,1', 'revoked 0', 'assigned 2']);
    expect(assignment.holds({ topic: 'in', partition: 2 })).toBe(true);
    expect(assignment.holds({ topic: 'in', partition: 0 })).toBe(false);
  });

  it('given a rejoin with the same partitions, then no hook runs', async () => {
    const { calls, hooks, release } = recorder();
    release();
    const assignment = new GroupAssignment(hooks, silent);
    assignment.onGroupJoin({ in: [0] });
    assignment.onGroupJoin({ in: [0] });
    await assignment.settled();
    expect(calls).toEqual(['assigned 0']);
  });

  it('keeps going after a failing hook, and revokeAll hands back everything still held', async () => {
    const calls: string[] = [];
    const assignment = new GroupAssignment(
      {
        onAssigned: async () => {
          throw new Error('snapshot store down');
        },
        onRevoked: async (parts) => {
          calls.push(`revoked ${parts.length}`);
        },
      },
      silent,
    );
    assignment.onGroupJoin({ a: [0, 1], b: [0] });
    await assignment.settled();
    await assignment.revokeAll();
    expect(calls).toEqual(['revoked 3']);
    expect(assignment.holds({ topic: 'a', partition: 0 })).toBe(false);
  });

  it('derives a heartbeat interval of a third of the session timeout', () => {
    expect(sessionTimeouts(undefined)).toEqual({});
    expect(sessionTimeouts(6000)).toEqual({ sessionTimeout: 6000, heartbeatInterval: 2000 });
  });
});
