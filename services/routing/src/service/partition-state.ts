import type { RoutingEvent } from '../domain/events';
import { fromSnapshot, toSnapshot } from '../domain/snapshot';
import { createState, evolve, type TenantRoutingState } from '../domain/state';
import type { StoredSnapshot } from './ports';

/**
 * Everything the owner keeps for one input partition number: the state of each of its tenants, and
 * where that state stands in the changelog partition of the same number.
 */
export class PartitionState {
  readonly tenants = new Map<string, TenantRoutingState>();
  /** Id of the last event applied (decided here or replayed); '' when none. */
  lastEventId = '';
  /** Next changelog offset not covered, valid when `confirmed`. */
  coveredOffset = 0n;
  /** False from a decision until the tail has seen its last event committed at a known offset. */
  confirmed = true;
  eventsSinceSnapshot = 0;
  lastSnapshotAt: number;
  snapshotTakenAt = 0;

  constructor(
    readonly partition: number,
    now: number,
    private readonly idempotencyWindow?: number,
  ) {
    this.lastSnapshotAt = now;
  }

  tenant(tenantId: string): TenantRoutingState {
    let s = this.tenants.get(tenantId);
    if (!s) {
      s = createState(this.options());
      this.tenants.set(tenantId, s);
    }
    return s;
  }

  /** Applies a replayed changelog event recorded at `offset`. */
  replayed(tenantId: string, event: RoutingEvent, offset: bigint): void {
    evolve(this.tenant(tenantId), event);
    this.lastEventId = event.eventId;
    this.coveredOffset = offset + 1n;
  }

  /** Notes events just decided (not yet known to be committed). */
  decided(events: readonly RoutingEvent[]): void {
    const last = events[events.length - 1];
    if (!last) return;
    this.lastEventId = last.eventId;
    this.confirmed = false;
    this.eventsSinceSnapshot += events.length;
  }

  static fromStored(s: StoredSnapshot, idempotencyWindow?: number): PartitionState {
    const p = new PartitionState(s.partition, s.takenAtMs, idempotencyWindow);
    for (const t of s.tenants) p.tenants.set(t.tenantId, fromSnapshot(t.state, p.options()));
    p.lastEventId = s.lastEventId;
    p.coveredOffset = s.changelogOffset;
    p.snapshotTakenAt = s.takenAtMs;
    return p;
  }

  /** A snapshot of the whole partition; only meaningful when `confirmed`. */
  toStored(now: number): StoredSnapshot {
    const tenants = [...this.tenants.keys()]
      .sort()
      .map((tenantId) => ({ tenantId, state: toSnapshot(this.tenants.get(tenantId) as TenantRoutingState) }));
    return {
      partition: this.partition,
      changelogOffset: this.coveredOffset,
      lastEventId: this.lastEventId,
      takenAtMs: now,
      tenants,
    };
  }

  private options(): { idempotencyWindow?: number } {
    return this.idempotencyWindow === undefined ? {} : { idempotencyWindow: this.idempotencyWindow };
  }
}
