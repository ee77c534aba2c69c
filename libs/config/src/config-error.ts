/** One bad variable: its name and what is wrong with it. */
export interface ConfigProblem {
  readonly variable: string;
  readonly problem: string;
}

/**
 * Thrown by `loadConfig` when the environment does not satisfy the schema. The message names every bad
 * variable at once, so that an operator fixes them in one round instead of one per restart.
 */
export class ConfigError extends Error {
  readonly code = 'CFG_ERR_INVALID' as const;
  readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[]) {
    const lines = problems.map((p) => `  - ${p.variable}: ${p.problem}`);
    super(`invalid configuration (${problems.length} problem(s)):\n${lines.join('\n')}`);
    this.name = 'ConfigError';
    this.problems = Object.freeze([...problems]);
  }
}
