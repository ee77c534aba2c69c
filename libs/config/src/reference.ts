import type { z } from 'zod';
import { describeConfig, renderConfigTable } from './describe-config';
import { grpcEnv, httpEnv, kafkaEnv, logEnv, postgresEnv, telemetryEnv } from './fragments';

export const REFERENCE_BEGIN =
  '<!-- BEGIN GENERATED: shared config fragments (pnpm --filter @switchboard/config docs) -->';
export const REFERENCE_END = '<!-- END GENERATED -->';

const sections: ReadonlyArray<readonly [title: string, exportName: string, schema: z.core.$ZodType]> = [
  ['Kafka', 'kafkaEnv', kafkaEnv],
  ['Logging', 'logEnv', logEnv],
  ['Telemetry', 'telemetryEnv', telemetryEnv],
  ['PostgreSQL', 'postgresEnv', postgresEnv],
  ['HTTP listener', 'httpEnv', httpEnv],
  ['gRPC listener', 'grpcEnv', grpcEnv],
];

/** The generated part of docs/config.md: one table per shared fragment. */
export function sharedReference(): string {
  const parts = sections.map(
    ([title, name, schema]) => `### ${title} (\`${name}\`)\n\n${renderConfigTable(describeConfig(schema))}`,
  );
  return [REFERENCE_BEGIN, '', ...parts.flatMap((p) => [p, '']), REFERENCE_END].join('\n');
}

/** `doc` with its generated block replaced by the current reference. */
export function withSharedReference(doc: string): string {
  const start = doc.indexOf(REFERENCE_BEGIN);
  const end = doc.indexOf(REFERENCE_END);
  if (start < 0 || end < start) throw new Error('docs/config.md lacks the generated-block markers');
  return doc.slice(0, start) + sharedReference() + doc.slice(end + REFERENCE_END.length);
}
