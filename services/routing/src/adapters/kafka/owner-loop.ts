import type { SwitchboardKafka, TransactionalLoop } from '@switchboard/kafka';
import type { RoutingTopics } from '../../config';
import type { RoutingOwner } from '../../service/routing-owner';

export interface OwnerLoopOptions {
  groupId: string;
  topics: RoutingTopics;
  sessionTimeoutMs: number;
  /** Partitions of each input topic: every input partition may be in flight at once. */
  partitions: number;
  /** The broker aborts a dead owner's open transaction after this; recovery may wait that long. */
  transactionTimeoutMs: number;
  onError?: (err: Error, tp: { topic: string; partition: number }) => void;
}

/** The owner's inputs, in the order the docs list them; partition p of each feeds the same state. */
export function ownerInputTopics(topics: RoutingTopics): string[] {
  return [topics.conversations, topics.agentCommands, topics.config, topics.sla];
}

/**
 * Consume-transform-produce for the owner: each input batch is decided and its routing events and
 * input offset commit in one transaction. Every input partition may be in flight at once; the owner
 * serialises the four input topics of one partition number itself (see RoutingOwner.process).
 */
export function createOwnerLoop(
  kafka: SwitchboardKafka,
  owner: RoutingOwner,
  opts: OwnerLoopOptions,
): TransactionalLoop {
  return kafka.transactionalLoop({
    groupId: opts.groupId,
    inputTopics: ownerInputTopics(opts.topics),
    transactionalIdPrefix: opts.groupId,
    deadLetterTopic: opts.topics.deadLetter,
    fromBeginning: true,
    partitionsConsumedConcurrently: ownerInputTopics(opts.topics).length * opts.partitions,
    sessionTimeoutMs: opts.sessionTimeoutMs,
    transactionTimeoutMs: opts.transactionTimeoutMs,
    process: async (batch, ctx) => {
      const envelopes = await owner.process(batch, ctx.partition);
      return envelopes.map((envelope) => ({ topic: opts.topics.routing, envelope }));
    },
    onPartitionsAssigned: (parts) => owner.onAssigned(parts),
    onPartitionsRevoked: (parts) => owner.onRevoked(parts),
    ...(opts.onError ? { onError: opts.onError } : {}),
  });
}
