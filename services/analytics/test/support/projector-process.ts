// A projector in a process of its own, for the SIGKILL test: argv[2] is a JSON ProjectorProcessArgs.
import { createKafka } from '@switchboard/kafka';
import pino from 'pino';
import { Projector } from '../../src/adapters/kafka/projector';
import { rolePool } from '../../src/adapters/pg/pool';
import { ProjectionStore } from '../../src/adapters/pg/projection-store';

export interface ProjectorProcessArgs {
  databaseUrl: string;
  writerRole: string;
  brokers: string[];
  groupId: string;
  topics: string[];
  deadLetterTopic: string;
  /** Small group commits, so that a kill lands between transactions of one fetch. */
  flushEvents?: number;
}

async function main(): Promise<void> {
  const args = JSON.parse(process.argv[2]!) as ProjectorProcessArgs;
  const logger = pino({ level: 'warn' });
  const kafka = createKafka({ brokers: args.brokers, clientId: 'analytics-sigkill' }, logger);
  const store = new ProjectionStore(
    rolePool(args.databaseUrl, args.writerRole, { asyncCommit: true }),
    'analytics',
  );
  const producer = kafka.producer();
  await producer.connect();
  const projector = new Projector({
    kafka,
    store,
    logger,
    groupId: args.groupId,
    topics: args.topics,
    deadLetters: { producer, topic: args.deadLetterTopic },
    ...(args.flushEvents ? { flushEvents: args.flushEvents } : {}),
  });
  await projector.start();
  process.stdout.write('started\n');
  process.on('SIGTERM', () => {
    void projector.stop().then(() => process.exit(0));
  });
}

void main();
