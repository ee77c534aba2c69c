import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_PARTITIONS, Topics } from '@switchboard/contracts';
import { provisionScript, repoRoot, topicsSpec } from './paths';

interface TopicLine {
  topic: string;
  partitions: string;
  cleanup: string;
  retention: string;
}

const spec: TopicLine[] = readFileSync(topicsSpec, 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '' && !l.startsWith('#'))
  .map((l) => {
    const [topic = '', partitions = '', cleanup = '', retention = ''] = l.trim().split(/\s+/);
    return { topic, partitions, cleanup, retention };
  });

/** docs/topics.md's table: topic → [partitions, retention / cleanup]. */
const documented = new Map(
  readFileSync(join(repoRoot, 'docs/topics.md'), 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('| `switchboard.'))
    .map((l) => l.split('|').map((c) => c.trim()))
    .map((cells) => [
      cells[1]!.replace(/`/g, ''),
      { partitions: cells[3]!.split(' ')[0]!, cleanup: cells[4]! },
    ]),
);

const compacted = new Set<string>([Topics.config, Topics.routingSnapshots, Topics.slaSnapshots]);
const singlePartition = new Set<string>([Topics.routingSnapshots, Topics.slaSnapshots, Topics.deadLetter]);

describe('the topic list of the provisioning job', () => {
  it('lists exactly the topics of libs/contracts', () => {
    expect(spec.map((s) => s.topic).sort()).toEqual(Object.values(Topics).sort());
  });

  it.each(Object.values(Topics))(
    'gives %s the partitions and cleanup policy docs/topics.md states',
    (topic) => {
      const line = spec.find((s) => s.topic === topic)!;
      const doc = documented.get(topic)!;
      expect(line.partitions).toBe(singlePartition.has(topic) ? '1' : 'tenant');
      expect(doc.partitions).toBe(singlePartition.has(topic) ? '1' : String(DEFAULT_PARTITIONS));
      expect(line.cleanup).toBe(compacted.has(topic) ? 'compact' : 'delete');
      expect(doc.cleanup).toContain(line.cleanup);
      if (line.cleanup === 'delete') {
        const days = Number(line.retention) / 86_400_000;
        expect(doc.cleanup).toMatch(new RegExp(`\\b${days} days?\\b`));
      } else expect(line.retention).toBe('-');
    },
  );
});

describe('provision-topics.sh', () => {
  /** Runs the script against fake kafka-topics.sh / kafka-configs.sh that log their arguments. */
  function run(env: Record<string, string>, describedPartitions: (topic: string) => number) {
    const dir = mkdtempSync(join(tmpdir(), 'sb-topics-'));
    try {
      const log = join(dir, 'calls.log');
      const counts = Object.values(Topics)
        .map(
          (t) => `${t}) echo "Topic: $t PartitionCount: ${describedPartitions(t)} ReplicationFactor: 3" ;;`,
        )
        .join('\n');
      const fake = (name: string, body: string) => {
        writeFileSync(join(dir, name), `#!/usr/bin/env bash\necho "${name} $*" >> "${log}"\n${body}\n`);
        chmodSync(join(dir, name), 0o755);
      };
      fake(
        'kafka-topics.sh',
        `if [[ " $* " == *" --describe "* ]]; then t=\${@: -1}; case "$t" in\n${counts}\nesac; fi`,
      );
      fake('kafka-configs.sh', '');
      const result = execFileSync('bash', [provisionScript], {
        env: { PATH: process.env.PATH ?? '', KAFKA_BIN: dir, KAFKA_BOOTSTRAP: 'kafka:9092', ...env },
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      return { output: result, calls: readFileSync(log, 'utf8').trim().split('\n') };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  const partitionsOf = (topic: string) => (singlePartition.has(topic) ? 1 : 12);

  it('creates each topic if missing with its partitions, replication and configs, then updates the configs', () => {
    const { calls } = run({ REPLICATION_FACTOR: '3', MIN_INSYNC_REPLICAS: '2' }, partitionsOf);
    const creates = calls.filter((c) => c.includes('--create'));
    expect(creates).toHaveLength(Object.values(Topics).length);
    expect(creates).toContain(
      'kafka-topics.sh --bootstrap-server kafka:9092 --create --if-not-exists --topic switchboard.config.v1 --partitions 12 --replication-factor 3 --config cleanup.policy=compact --config min.insync.replicas=2',
    );
    expect(creates).toContain(
      'kafka-topics.sh --bootstrap-server kafka:9092 --create --if-not-exists --topic switchboard.conversations.v1 --partitions 12 --replication-factor 3 --config cleanup.policy=delete --config min.insync.replicas=2 --config retention.ms=604800000',
    );
    expect(calls).toContain(
      'kafka-configs.sh --bootstrap-server kafka:9092 --alter --entity-type topics --entity-name switchboard.routing-snapshots.v1 --add-config cleanup.policy=compact,min.insync.replicas=2',
    );
  });

  it('passes the client properties file for TLS/SASL to every call when given', () => {
    const { calls } = run({ KAFKA_COMMAND_CONFIG: '/etc/kafka-client/client.properties' }, partitionsOf);
    expect(calls.every((c) => c.includes('--command-config /etc/kafka-client/client.properties'))).toBe(true);
  });

  it('fails when an existing tenant-keyed topic has another partition count', () => {
    expect(() => run({}, (t) => (t === Topics.sla ? 6 : partitionsOf(t)))).toThrow(
      /switchboard.sla.v1 has 6 partitions, expected 12/,
    );
  });
});
