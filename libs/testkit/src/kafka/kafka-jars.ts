import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { InfraUnavailableError } from '../errors';

const run = promisify(execFile);

export const KAFKA_VERSION = '3.9.1';
const POM = path.resolve(__dirname, '../../kafka/pom.xml');

/** Where the broker's jars are cached between runs (override with SWITCHBOARD_KAFKA_JARS). */
export function kafkaJarsDir(): string {
  return (
    process.env.SWITCHBOARD_KAFKA_JARS ??
    path.join(os.homedir(), '.cache', 'switchboard', `kafka-${KAFKA_VERSION}`)
  );
}

/** The java executable: $JAVA_HOME/bin/java, else `java` on the PATH. */
export async function findJava(): Promise<string> {
  const candidates = [
    process.env.JAVA_HOME && path.join(process.env.JAVA_HOME, 'bin', 'java'),
    'java',
  ].filter((c): c is string => Boolean(c));
  for (const java of candidates) {
    try {
      await run(java, ['-version']);
      return java;
    } catch {
      // try the next one
    }
  }
  throw new InfraUnavailableError(
    'TESTKIT_ERR_NO_KAFKA',
    'No Java runtime found to run a local Kafka broker. Install Java 17+ (apt-get install -y default-jre-headless), ' +
      'or set KAFKA_BROKERS to an existing broker.',
  );
}

/**
 * Makes sure the Kafka broker jars are in the cache, fetching them from Maven Central with Maven the
 * first time (about a minute; seconds afterwards). Concurrent callers are safe: the download goes to a
 * private folder that is renamed into place.
 */
export async function ensureKafkaJars(log: (line: string) => void = () => {}): Promise<string> {
  const dir = kafkaJarsDir();
  if (fs.existsSync(path.join(dir, '.complete'))) return dir;
  const staging = `${dir}.tmp-${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  log(`fetching Kafka ${KAFKA_VERSION} jars from Maven Central into ${dir}`);
  try {
    await run(
      'mvn',
      [
        '-q',
        '-B',
        '-f',
        POM,
        'dependency:copy-dependencies',
        '-DincludeScope=runtime',
        `-DoutputDirectory=${staging}`,
      ],
      { maxBuffer: 64 * 1024 * 1024 },
    );
  } catch (err) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw new InfraUnavailableError(
      'TESTKIT_ERR_NO_KAFKA',
      `Could not fetch the Kafka broker with Maven (${(err as Error).message.split('\n')[0]}). ` +
        'Install Maven (apt-get install -y maven) with access to Maven Central, or set KAFKA_BROKERS to an existing broker.',
    );
  }
  fs.writeFileSync(path.join(staging, '.complete'), `${KAFKA_VERSION}\n`);
  try {
    fs.renameSync(staging, dir);
  } catch {
    // another process won the race; its copy is complete
    fs.rmSync(staging, { recursive: true, force: true });
  }
  return dir;
}
