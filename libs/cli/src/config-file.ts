import { fromJson, type JsonObject, type JsonValue, toJson } from '@bufbuild/protobuf';
import { type TenantConfig, TenantConfigSchema } from '@switchboard/contracts';
import YAML from 'yaml';

/**
 * The tenant configuration file: the proto JSON form of switchboard.config.v1.TenantConfig plus the
 * `tenant` id, with enums written in lower case (`chat`, `equals`, `first_response`) because people
 * write these files by hand.
 */
export interface TenantConfigFile {
  tenant: string;
  config: TenantConfig;
}

/** Where each enum lives in the file, and the prefix of its protobuf value names. */
const ENUM_FIELDS: { path: (string | '*')[]; prefix: string }[] = [
  { path: ['slaPolicies', '*', 'match', 'channels', '*'], prefix: 'CHANNEL_' },
  { path: ['rules', '*', 'when', '*', 'operator'], prefix: 'CONDITION_OPERATOR_' },
  { path: ['slaPolicies', '*', 'targets', '*', 'kind'], prefix: 'TARGET_KIND_' },
];

type Mapper = (value: string, prefix: string) => string;
const toProtoName: Mapper = (value, prefix) => `${prefix}${value.toUpperCase()}`;
const toFileName: Mapper = (value, prefix) =>
  value.startsWith(prefix) ? value.slice(prefix.length).toLowerCase() : value;

function mapAt(
  node: JsonValue | undefined,
  path: (string | '*')[],
  prefix: string,
  map: Mapper,
): JsonValue | undefined {
  if (node === undefined || node === null) return node;
  if (path.length === 0) return typeof node === 'string' ? map(node, prefix) : node;
  const [head, ...rest] = path;
  if (head === '*')
    return Array.isArray(node) ? node.map((n) => mapAt(n, rest, prefix, map) as JsonValue) : node;
  if (typeof node !== 'object' || Array.isArray(node)) return node;
  if (!(head! in node)) return node;
  return { ...node, [head!]: mapAt(node[head!], rest, prefix, map) as JsonValue };
}

function mapEnums(doc: JsonObject, map: Mapper): JsonObject {
  let out: JsonValue = doc;
  for (const field of ENUM_FIELDS) out = mapAt(out, field.path, field.prefix, map) as JsonValue;
  return out as JsonObject;
}

/** Parses YAML (or JSON) text into a plain document; throws on syntax errors with line numbers. */
export function parseConfigText(text: string): unknown {
  return YAML.parse(text, { prettyErrors: true, uniqueKeys: true });
}

/** Converts a document that passed schema validation into the protobuf configuration. */
export function toTenantConfigFile(doc: JsonObject): TenantConfigFile {
  const { tenant, $schema: _schema, ...rest } = doc;
  return { tenant: String(tenant), config: fromJson(TenantConfigSchema, mapEnums(rest, toProtoName)) };
}

/** The file form of a configuration, for `sb config get` and diffs. */
export function toConfigDocument(file: TenantConfigFile): JsonObject {
  const json = toJson(TenantConfigSchema, file.config) as JsonObject;
  return { tenant: file.tenant, ...mapEnums(json, toFileName) };
}

export function toYaml(doc: JsonObject): string {
  return YAML.stringify(doc, { lineWidth: 0 });
}
