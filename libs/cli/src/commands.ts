import type { JsonObject } from '@bufbuild/protobuf';
import diff from 'microdiff';
import {
  parseConfigText,
  type TenantConfigFile,
  toConfigDocument,
  toTenantConfigFile,
  toYaml,
} from './config-file';
import type { ConfigStore } from './config-store';
import { type ConfigProblem, formatProblems } from './problems';
import { semanticProblems } from './semantic';
import { schemaProblems } from './validate';

/** A command's outcome: text for stdout, and the exit code (0 ok, 1 invalid input, 2 usage). */
export interface CommandResult {
  exitCode: number;
  output: string;
}

export type Validated = { ok: true; file: TenantConfigFile } | { ok: false; problems: ConfigProblem[] };

/** Parses and validates a configuration file completely: schema first, then meaning. */
export function validateConfigText(text: string): Validated {
  let doc: unknown;
  try {
    doc = parseConfigText(text);
  } catch (err) {
    return { ok: false, problems: [{ path: '', message: `not valid YAML: ${(err as Error).message}` }] };
  }
  const shape = schemaProblems(doc);
  if (shape.length > 0) return { ok: false, problems: shape };
  const file = toTenantConfigFile(doc as JsonObject);
  const meaning = semanticProblems(file.config);
  if (meaning.length > 0) return { ok: false, problems: meaning };
  return { ok: true, file };
}

function invalid(problems: ConfigProblem[]): CommandResult {
  return {
    exitCode: 1,
    output: `configuration rejected, ${problems.length} problem(s); nothing was published:\n${formatProblems(problems)}\n`,
  };
}

/** Human-readable changes from `before` to `after`, one line each, by JSON pointer. */
export function describeChanges(before: JsonObject, after: JsonObject): string[] {
  return diff(before, after).map((change) => {
    const path = `/${change.path.join('/')}`;
    const fmt = (v: unknown) => JSON.stringify(v);
    if (change.type === 'CREATE') return `+ ${path}: ${fmt(change.value)}`;
    if (change.type === 'REMOVE') return `- ${path}: ${fmt(change.oldValue)}`;
    return `~ ${path}: ${fmt(change.oldValue)} -> ${fmt(change.value)}`;
  });
}

export function validateCommand(text: string): CommandResult {
  const result = validateConfigText(text);
  if (!result.ok) return invalid(result.problems);
  return { exitCode: 0, output: `configuration for tenant ${result.file.tenant} is valid\n` };
}

export async function diffCommand(text: string, store: ConfigStore): Promise<CommandResult> {
  const result = validateConfigText(text);
  if (!result.ok) return invalid(result.problems);
  const current = await store.current(result.file.tenant);
  const before = current ? toConfigDocument({ tenant: result.file.tenant, config: current.config }) : {};
  const changes = describeChanges(before, toConfigDocument(result.file));
  const head = current ? `against version ${current.version}` : 'no configuration applied yet';
  return {
    exitCode: 0,
    output:
      changes.length === 0
        ? `tenant ${result.file.tenant}: no changes (${head})\n`
        : `tenant ${result.file.tenant}, ${head}:\n${changes.join('\n')}\n`,
  };
}

export async function applyCommand(
  text: string,
  store: ConfigStore,
  appliedBy: string,
): Promise<CommandResult> {
  const result = validateConfigText(text);
  if (!result.ok) return invalid(result.problems);
  const { tenant, config } = result.file;
  const current = await store.current(tenant);
  if (current) {
    const changes = describeChanges(
      toConfigDocument({ tenant, config: current.config }),
      toConfigDocument(result.file),
    );
    if (changes.length === 0)
      return { exitCode: 0, output: `tenant ${tenant}: unchanged at version ${current.version}\n` };
  }
  const version = (current?.version ?? 0n) + 1n;
  await store.publish(tenant, { version, config, appliedBy });
  return { exitCode: 0, output: `tenant ${tenant}: applied version ${version}\n` };
}

export async function getCommand(
  tenant: string,
  store: ConfigStore,
  format: 'yaml' | 'json',
): Promise<CommandResult> {
  const current = await store.current(tenant);
  if (!current) return { exitCode: 1, output: `tenant ${tenant}: no configuration applied\n` };
  const doc = toConfigDocument({ tenant, config: current.config });
  const body = format === 'json' ? `${JSON.stringify(doc, null, 2)}\n` : toYaml(doc);
  return { exitCode: 0, output: `# version ${current.version}, applied by ${current.appliedBy}\n${body}` };
}
