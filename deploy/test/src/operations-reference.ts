import { describeConfig, renderConfigTable, sharedFragments } from '@switchboard/config';
import { fragmentsOf, ownVariables, serviceSchemas, services } from './service-config';

export const BEGIN =
  '<!-- BEGIN GENERATED: configuration reference (pnpm --filter @switchboard/deploy-tests docs) -->';
export const END = '<!-- END GENERATED: configuration reference -->';

const fragmentTitles: Record<keyof typeof sharedFragments, string> = {
  kafkaEnv: 'Kafka',
  logEnv: 'Logging',
  telemetryEnv: 'Telemetry',
  postgresEnv: 'PostgreSQL',
  httpEnv: 'HTTP listener',
  grpcEnv: 'gRPC listener',
};

/** The configuration reference of docs/operations.md, generated from the services' config schemas. */
export function configurationReference(): string {
  const parts: string[] = [BEGIN, ''];
  parts.push('#### Shared variables', '');
  parts.push('Each service reads the groups listed under its name below.', '');
  for (const [name, fragment] of Object.entries(sharedFragments)) {
    const title = fragmentTitles[name as keyof typeof sharedFragments];
    parts.push(`##### ${title} (\`${name}\`)`, '', renderConfigTable(describeConfig(fragment)), '');
  }
  for (const service of services) {
    const schema = serviceSchemas[service];
    parts.push(`#### ${service}`, '');
    parts.push(
      `Shared groups: ${fragmentsOf(schema)
        .map((f) => `\`${f}\``)
        .join(', ')}.`,
      '',
    );
    const own = ownVariables(schema);
    parts.push(own.length > 0 ? renderConfigTable(own) : 'No variables of its own yet.', '');
  }
  parts.push(END);
  return parts.join('\n');
}

/** `doc` with its generated block replaced by the current reference. */
export function withConfigurationReference(doc: string): string {
  const start = doc.indexOf(BEGIN);
  const end = doc.indexOf(END);
  if (start < 0 || end < start) throw new Error('docs/operations.md lacks the generated-block markers');
  return doc.slice(0, start) + configurationReference() + doc.slice(end + END.length);
}
