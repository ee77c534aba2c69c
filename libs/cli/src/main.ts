#!/usr/bin/env node
/**
 * sb — the Switchboard admin CLI.
 *   sb config validate -f tenant.yaml
 *   sb config diff     -f tenant.yaml
 *   sb config apply    -f tenant.yaml [--applied-by <name>]
 *   sb config get      --tenant <id> [--output yaml|json]
 * Kafka connection from KAFKA_BROKERS (and KAFKA_SSL, KAFKA_SASL_*), see docs/config.md.
 */
import fs from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { ConfigError, kafkaConnection, kafkaEnv, loadConfig } from '@switchboard/config';
import { applyCommand, type CommandResult, diffCommand, getCommand, validateCommand } from './commands';
import { openKafkaConfigStore } from './kafka-config-store';

const USAGE = `usage:
  sb config validate -f <file>
  sb config diff     -f <file>
  sb config apply    -f <file> [--applied-by <name>]
  sb config get      --tenant <id> [--output yaml|json]
`;

async function run(argv: string[]): Promise<CommandResult> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      file: { type: 'string', short: 'f' },
      tenant: { type: 'string', short: 't' },
      output: { type: 'string', short: 'o', default: 'yaml' },
      'applied-by': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [area, verb] = positionals;
  if (values.help || area !== 'config' || !verb) return { exitCode: values.help ? 0 : 2, output: USAGE };
  const readFile = () => {
    if (!values.file) throw new UsageError('-f <file> is required');
    return fs.readFileSync(values.file, 'utf8');
  };
  if (verb === 'validate') return validateCommand(readFile());
  if (!['diff', 'apply', 'get'].includes(verb)) return { exitCode: 2, output: USAGE };
  const text = verb === 'get' ? '' : readFile();
  if (verb === 'get' && !values.tenant) throw new UsageError('--tenant <id> is required');
  if (values.output !== 'yaml' && values.output !== 'json') throw new UsageError('--output is yaml or json');

  // Reject an invalid file before touching Kafka.
  if (verb !== 'get') {
    const checked = validateCommand(text);
    if (checked.exitCode !== 0) return checked;
  }
  const config = loadConfig(kafkaEnv);
  const store = await openKafkaConfigStore(kafkaConnection(config));
  try {
    if (verb === 'diff') return await diffCommand(text, store);
    if (verb === 'apply')
      return await applyCommand(text, store, values['applied-by'] ?? `cli:${os.userInfo().username}`);
    return await getCommand(values.tenant!, store, values.output);
  } finally {
    await store.close();
  }
}

class UsageError extends Error {}

run(process.argv.slice(2)).then(
  (result) => {
    process.stdout.write(result.output);
    process.exitCode = result.exitCode;
  },
  (err: unknown) => {
    if (err instanceof UsageError) process.stderr.write(`sb: ${err.message}\n${USAGE}`);
    else if (err instanceof ConfigError) process.stderr.write(`sb: ${err.message}\n`);
    else process.stderr.write(`sb: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = err instanceof UsageError ? 2 : 1;
  },
);
