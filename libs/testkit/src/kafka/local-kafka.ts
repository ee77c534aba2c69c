import { type ChildProcess, execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { canConnect, freePort, waitFor } from '../net';
import { ensureKafkaJars, findJava } from './kafka-jars';

const run = promisify(execFile);

export interface LocalKafkaOptions {
  /** Broker port; a free one by default. */
  port?: number;
  /** Data folder; a temp folder (removed on stop) by default. */
  dataDir?: string;
  /** JVM heap, default 1g. */
  heap?: string;
  log?: (line: string) => void;
}

/** A Kafka broker in KRaft combined mode, running as a child JVM from the cached Maven jars. */
export interface LocalKafka {
  readonly brokers: string;
  readonly dataDir: string;
  /** Stops the JVM (SIGTERM, then SIGKILL); keeps the data folder so `start` resumes it. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data (after `stop`). */
  start(): Promise<void>;
  /** Stops it and removes a temp data folder. */
  destroy(): Promise<void>;
}

const LOG4J = `log4j.rootLogger=WARN, stderr
log4j.appender.stderr=org.apache.log4j.ConsoleAppender
log4j.appender.stderr.Target=System.err
log4j.appender.stderr.layout=org.apache.log4j.PatternLayout
log4j.appender.stderr.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka=WARN
log4j.logger.org.apache.kafka=WARN
`;

function serverProperties(port: number, controllerPort: number, logDir: string): string {
  return `process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:${controllerPort}
listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}
advertised.listeners=PLAINTEXT://127.0.0.1:${port}
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
log.dirs=${logDir}
num.partitions=1
auto.create.topics.enable=true
offsets.topic.replication.factor=1
offsets.topic.num.partitions=4
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=4
group.initial.rebalance.delay.ms=0
log.segment.bytes=67108864
log.retention.check.interval.ms=60000
transaction.abort.timed.out.transaction.cleanup.interval.ms=5000
transaction.remove.expired.transaction.cleanup.interval.ms=60000
`;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export async function startLocalKafka(options: LocalKafkaOptions = {}): Promise<LocalKafka> {
  const log = options.log ?? (() => {});
  const [java, jars] = await Promise.all([findJava(), ensureKafkaJars(log)]);
  const port = options.port ?? (await freePort());
  const controllerPort = await freePort();
  const ownsDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'sb-kafka-'));
  const logDir = path.join(dataDir, 'logs');
  fs.mkdirSync(logDir, { recursive: true });
  const propsFile = path.join(dataDir, 'server.properties');
  fs.writeFileSync(propsFile, serverProperties(port, controllerPort, logDir));
  const log4jFile = path.join(dataDir, 'log4j.properties');
  fs.writeFileSync(log4jFile, LOG4J);
  const classpath = `${jars}/*`;

  if (!fs.existsSync(path.join(logDir, 'meta.properties'))) {
    const { stdout: uuid } = await run(java, ['-cp', classpath, 'kafka.tools.StorageTool', 'random-uuid']);
    await run(java, [
      `-Dlog4j.configuration=file:${log4jFile}`,
      '-cp',
      classpath,
      'kafka.tools.StorageTool',
      'format',
      '-t',
      uuid.trim(),
      '-c',
      propsFile,
      '--ignore-formatted',
    ]);
  }

  let child: ChildProcess | undefined;
  const brokers = `127.0.0.1:${port}`;
  const stderrFile = path.join(dataDir, 'broker.log');

  async function start(): Promise<void> {
    const out = fs.openSync(stderrFile, 'a');
    child = spawn(
      java,
      [
        `-Xmx${options.heap ?? '1g'}`,
        '-Xms256m',
        '-XX:+UseG1GC',
        '-Djava.awt.headless=true',
        `-Dlog4j.configuration=file:${log4jFile}`,
        '-cp',
        classpath,
        'kafka.Kafka',
        propsFile,
      ],
      { stdio: ['ignore', out, out] },
    );
    fs.closeSync(out);
    running.add(child);
    const exited = new Promise<never>((_, reject) =>
      child?.once('exit', (code) =>
        reject(new Error(`Kafka exited with code ${code} during start-up; see ${stderrFile}`)),
      ),
    );
    exited.catch(() => {});
    await Promise.race([exited, waitFor(`Kafka on ${brokers}`, () => brokerAnswers(brokers), 90_000)]);
    log(`Kafka ready on ${brokers}`);
  }

  async function stop(): Promise<void> {
    const proc = child;
    if (!proc || proc.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
    running.delete(proc);
    child = undefined;
  }

  await start();
  return {
    brokers,
    dataDir,
    start,
    stop,
    async destroy() {
      await stop();
      if (ownsDataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** True when the broker accepts connections and answers a metadata request. */
export async function brokerAnswers(brokers: string): Promise<boolean> {
  const [host, port] = brokers.split(',')[0]!.split(':');
  if (!(await canConnect(host!, Number(port)))) return false;
  const admin = new Kafka({
    clientId: 'switchboard-testkit',
    brokers: brokers.split(','),
    logLevel: logLevel.NOTHING,
    retry: { retries: 0 },
  }).admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    if (cluster.brokers.length === 0 || cluster.controller === null) return false;
    // A fresh broker answers metadata before its group coordinator (the __consumer_offsets topic) is up;
    // consumers started in that window fail with a non-retriable "group coordinator not found".
    await admin.describeGroups(['switchboard-testkit-probe']);
    return true;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => {});
  }
}
