import type { Logger } from 'pino';
import { diffAssignment, flattenAssignment } from './assignment';
import type { TopicPartition } from './types';

export interface AssignmentHooks {
  onAssigned(parts: TopicPartition[]): Promise<void>;
  onRevoked(parts: TopicPartition[]): Promise<void>;
}

/**
 * Turns kafkajs GROUP_JOIN events (emitted, not awaited) into ordered, awaited assignment hooks.
 * Batch handlers await `settled()` so that no batch of a new assignment runs before its hook finished.
 */
export class GroupAssignment {
  private current: TopicPartition[] = [];
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly hooks: AssignmentHooks,
    private readonly logger: Logger,
  ) {}

  onGroupJoin(memberAssignment: Record<string, number[]>): void {
    const next = flattenAssignment(memberAssignment);
    const { assigned, revoked } = diffAssignment(this.current, next);
    this.current = next;
    if (assigned.length === 0 && revoked.length === 0) return;
    this.chain = this.chain.then(async () => {
      try {
        if (revoked.length > 0) await this.hooks.onRevoked(revoked);
        if (assigned.length > 0) await this.hooks.onAssigned(assigned);
      } catch (err) {
        this.logger.error({ err, assigned, revoked }, 'kafka partition assignment hook failed');
      }
    });
  }

  /** Whether the latest assignment holds the partition (a late batch of a revoked one is dropped). */
  holds(tp: TopicPartition): boolean {
    return this.current.some((c) => c.topic === tp.topic && c.partition === tp.partition);
  }

  /** Resolves once every hook of the assignments seen so far has run. */
  settled(): Promise<void> {
    return this.chain;
  }

  /** Runs the revoke hook for everything still held (on stop). */
  async revokeAll(): Promise<void> {
    const held = this.current;
    this.current = [];
    await this.chain;
    if (held.length > 0) await this.hooks.onRevoked(held);
  }
}

/** kafkajs session and heartbeat settings for a session timeout (heartbeat at a third of it). */
export function sessionTimeouts(sessionTimeoutMs: number | undefined): {
  sessionTimeout?: number;
  heartbeatInterval?: number;
} {
  if (sessionTimeoutMs === undefined) return {};
  return {
    sessionTimeout: sessionTimeoutMs,
    heartbeatInterval: Math.max(500, Math.floor(sessionTimeoutMs / 3)),
  };
}
