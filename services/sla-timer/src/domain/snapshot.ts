import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { SlaClockSchema } from '@switchboard/contracts';
import {
  ClockStateSchema,
  ConversationFactsSchema,
  type SlaSnapshot,
  SlaSnapshotSchema,
  TenantSlaStateSchema,
  type TopicOffset,
} from '@switchboard/contracts/gen/switchboard/sla/v1/snapshot_pb';
import { clockKey, internPercents } from './clock';
import { syncTimer } from './evolve';
import { compileSlaConfig } from './policy';
import { createState, tenantOf } from './state';
import type { Clock, SlaState, SlaStateOptions } from './types';

/** Where a snapshot stands in the logs (filled in by the transactional loop). */
export interface SnapshotPosition {
  inputOffsets: { topic: string; partition: number; offset: bigint }[];
  changelogOffset: bigint;
}

/** The state as a protobuf message; timer handles are not part of it (rebuilt on restore). */
export function toSnapshot(state: SlaState, position?: SnapshotPosition): SlaSnapshot {
  return create(SlaSnapshotSchema, {
    inputOffsets: position?.inputOffsets ?? [],
    changelogOffset: position?.changelogOffset ?? 0n,
    tenants: [...state.tenants.values()].map((t) =>
      create(TenantSlaStateSchema, {
        tenantId: t.tenantId,
        config: t.config?.source,
        seenEventIds: t.seen.toArray(),
        lastInputMs: BigInt(t.lastInputMs),
        conversations: [...t.conversations.values()].map((f) =>
          create(ConversationFactsSchema, {
            conversationId: f.id,
            channel: f.channel,
            customerTier: f.customerTier,
            priority: f.priority,
            queueId: f.queueId,
            open: f.open,
            closedAtMs: BigInt(f.closedAtMs),
            startedAtMs: BigInt(f.startedAtMs),
            startedSeen: f.startedSeen,
            firstResponseOver: f.firstResponseOver,
            resolutionSequence: f.resolutionSeq,
            resolutionOriginMs: BigInt(f.resolutionOriginMs),
            nextResponseSequence: f.nextResponseSeq,
            nextResponseOriginMs: BigInt(f.nextResponseOriginMs),
            assignmentSequence: f.assignmentSeq,
            assignmentOriginMs: BigInt(f.assignmentOriginMs),
            pendingSinceMs: BigInt(f.pendingSinceMs),
          }),
        ),
        clocks: [...t.clocks.values()].flat().map((c) =>
          create(ClockStateSchema, {
            clock: create(SlaClockSchema, {
              conversationId: c.conversationId,
              target: c.target,
              sequence: c.sequence,
              policyId: c.policyId,
            }),
            targetSeconds: c.targetSeconds,
            warnAtPercent: [...c.warnAtPercent],
            warnAtMs: c.warnAtMs.map(BigInt),
            raisedPercent: [...c.raisedPercent],
            dueAtMs: BigInt(c.dueAtMs),
            elapsedMs: BigInt(c.elapsedMs),
            countingSinceMs: BigInt(c.countingSinceMs),
            calendarId: c.calendarId,
            pauseWhilePending: c.pauseWhilePending,
            originMs: BigInt(c.originMs),
            closed: c.closed,
          }),
        ),
      }),
    ),
  });
}

export function encodeSnapshot(state: SlaState, position?: SnapshotPosition): Uint8Array {
  return toBinary(SlaSnapshotSchema, toSnapshot(state, position));
}

/** Rebuilds a state (and its timer heap) from snapshot bytes. */
export function restoreSnapshot(
  bytes: Uint8Array,
  options: Partial<SlaStateOptions> = {},
): { state: SlaState; inputOffsets: TopicOffset[]; changelogOffset: bigint } {
  const snap = fromBinary(SlaSnapshotSchema, bytes);
  const pendingClocks = snap.tenants.reduce((n, t) => n + t.clocks.length, 0);
  const state = createState(options, Math.max(1024, pendingClocks));
  for (const t of snap.tenants) {
    const tenant = tenantOf(state, t.tenantId);
    if (t.config) {
      const compiled = compileSlaConfig(t.config);
      if ('config' in compiled) tenant.config = compiled.config;
    }
    for (const id of t.seenEventIds) tenant.seen.add(id);
    tenant.lastInputMs = Number(t.lastInputMs);
    for (const f of t.conversations) {
      tenant.conversations.set(f.conversationId, {
        id: f.conversationId,
        channel: f.channel,
        customerTier: f.customerTier,
        priority: f.priority,
        queueId: f.queueId,
        open: f.open,
        closedAtMs: Number(f.closedAtMs),
        startedAtMs: Number(f.startedAtMs),
        startedSeen: f.startedSeen,
        firstResponseOver: f.firstResponseOver,
        resolutionSeq: f.resolutionSequence,
        resolutionOriginMs: Number(f.resolutionOriginMs),
        nextResponseSeq: f.nextResponseSequence,
        nextResponseOriginMs: Number(f.nextResponseOriginMs),
        assignmentSeq: f.assignmentSequence,
        assignmentOriginMs: Number(f.assignmentOriginMs),
        pendingSinceMs: Number(f.pendingSinceMs),
      });
    }
    tenant.closedQueue = [...tenant.conversations.values()]
      .filter((f) => !f.open)
      .map((f) => ({ id: f.id, closedAtMs: f.closedAtMs }))
      .sort((a, b) => a.closedAtMs - b.closedAtMs);
    for (const c of t.clocks) {
      const ref = c.clock;
      if (!ref) continue;
      const clock: Clock = {
        tenantId: t.tenantId,
        conversationId: ref.conversationId,
        target: ref.target,
        sequence: ref.sequence,
        key: clockKey(ref.conversationId, ref.target, ref.sequence),
        policyId: ref.policyId,
        targetSeconds: c.targetSeconds,
        warnAtPercent: internPercents(c.warnAtPercent),
        warnAtMs: c.warnAtMs.map(Number),
        raisedPercent: [...c.raisedPercent],
        dueAtMs: Number(c.dueAtMs),
        elapsedMs: Number(c.elapsedMs),
        countingSinceMs: Number(c.countingSinceMs),
        calendarId: c.calendarId,
        pauseWhilePending: c.pauseWhilePending,
        originMs: Number(c.originMs),
        closed: c.closed,
        handle: -1,
      };
      const list = tenant.clocks.get(clock.conversationId) ?? [];
      list.push(clock);
      tenant.clocks.set(clock.conversationId, list);
      syncTimer(state, clock);
    }
  }
  return { state, inputOffsets: snap.inputOffsets, changelogOffset: snap.changelogOffset };
}
