/** One problem of a configuration file, located by a JSON pointer (RFC 6901) into the file. */
export interface ConfigProblem {
  path: string;
  message: string;
}

export function formatProblems(problems: ConfigProblem[]): string {
  return problems.map((p) => `  ${p.path || '/'}: ${p.message}`).join('\n');
}
