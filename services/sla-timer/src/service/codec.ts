import { create } from '@bufbuild/protobuf';
import { type Envelope, msFromTs, newEnvelope, tsFromMs } from '@switchboard/contracts';
import {
  type SlaPartitionSnapshot,
  SlaPartitionSnapshotSchema,
  SlaTimerTickSchema,
} from '@switchboard/contracts/gen/switchboard/sla/v1/commands_pb';
import type { SlaSnapshot } from '@switchboard/contracts/gen/switchboard/sla/v1/snapshot_pb';
import type { InputEvent, SlaEvent, SlaPayloadCase } from '../domain';

export const SOURCE = 'sla-timer';
export const SNAPSHOT_FORMAT = 1;

/** Input payloads that change conversation facts or the configuration (everything else is skipped). */
const INPUT_CASES = new Set<string>([
  'conversationStarted',
  'customerMessageReceived',
  'agentMessageSent',
  'conversationResolved',
  'conversationAbandoned',
  'conversationReopened',
  'botHandoffRequested',
  'conversationQueued',
  'conversationAssigned',
  'conversationDequeued',
  'conversationEscalated',
  'conversationTransferred',
  'tenantConfigApplied',
]);

const SLA_CASES = new Set<string>([
  'slaClockStarted',
  'slaClockPaused',
  'slaClockResumed',
  'slaWarningRaised',
  'slaBreached',
  'slaMet',
  'slaClockCancelled',
] satisfies SlaPayloadCase[]);

/** What an input envelope means to the sla-timer. */
export type InputMeaning =
  | { kind: 'input'; input: InputEvent; at: number }
  | { kind: 'tick'; now: number; partition: number }
  | { kind: 'ignored' };

/**
 * Inputs take effect at their recorded time (the same value on replay, never the clock). Routing events
 * name the conversation in the payload; that wins over the aggregate id.
 */
export function inputMeaning(env: Envelope): InputMeaning {
  const p = env.payload;
  if (p.case === 'slaTimerTick')
    return { kind: 'tick', now: msFromTs(p.value.now), partition: p.value.partition };
  if (!p.case || !INPUT_CASES.has(p.case)) return { kind: 'ignored' };
  const named =
    'conversationId' in p.value && typeof p.value.conversationId === 'string' ? p.value.conversationId : '';
  return {
    kind: 'input',
    input: {
      eventId: env.eventId,
      tenantId: env.tenantId,
      aggregateId: named || env.aggregateId,
      payload: p,
    },
    at: msFromTs(env.recordedAt ?? env.occurredAt),
  };
}

/** An SLA event as its changelog envelope: aggregate id = conversation id, occurred_at = the decision's now. */
export function slaEventToEnvelope(e: SlaEvent, decidedAtMs: number, correlationId: string): Envelope {
  return newEnvelope({
    eventId: e.eventId,
    tenantId: e.tenantId,
    aggregateId: e.conversationId,
    occurredAtMs: decidedAtMs,
    source: SOURCE,
    causationId: e.causationId,
    correlationId,
    payload: e.payload,
  });
}

/** A changelog envelope back as the SLA event it recorded (undefined for anything else). */
export function envelopeToSlaEvent(env: Envelope): SlaEvent | undefined {
  if (!env.payload.case || !SLA_CASES.has(env.payload.case)) return undefined;
  return {
    eventId: env.eventId,
    tenantId: env.tenantId,
    conversationId: env.aggregateId,
    causationId: env.causationId,
    payload: env.payload as SlaEvent['payload'],
  };
}

/** The tick that asks partition p's owner to fire what is due at `now`; keyed by a tenant of p. */
export function tickEnvelope(tenantId: string, partition: number, now: number): Envelope {
  return newEnvelope({
    eventId: `sla-tick/${partition}/${now}`,
    tenantId,
    aggregateId: `sla-${partition}`,
    occurredAtMs: now,
    source: SOURCE,
    payload: { case: 'slaTimerTick', value: create(SlaTimerTickSchema, { now: tsFromMs(now), partition }) },
  });
}

/** Record key, tenant id and aggregate id of partition p's snapshot. */
export const snapshotKey = (partition: number) => `sla-${partition}`;

export function snapshotEnvelope(
  partition: number,
  state: SlaSnapshot,
  lastEventId: string,
  takenAtMs: number,
): Envelope {
  const key = snapshotKey(partition);
  return newEnvelope({
    eventId: `${key}@${takenAtMs}/${lastEventId}`,
    tenantId: key,
    aggregateId: key,
    occurredAtMs: takenAtMs,
    source: SOURCE,
    payload: {
      case: 'slaPartitionSnapshot',
      value: create(SlaPartitionSnapshotSchema, {
        formatVersion: SNAPSHOT_FORMAT,
        partition,
        state,
        lastEventId,
        takenAtMs: BigInt(takenAtMs),
      }),
    },
  });
}

export function snapshotOf(env: Envelope): SlaPartitionSnapshot | undefined {
  if (env.payload.case !== 'slaPartitionSnapshot') return undefined;
  return env.payload.value.formatVersion === SNAPSHOT_FORMAT ? env.payload.value : undefined;
}
