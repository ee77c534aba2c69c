// Shared jest settings: TypeScript through SWC (fast, no type checking: `pnpm typecheck` does that),
// workspace packages resolved to their sources through the `@switchboard/source` export condition.
const path = require('node:path');

const transform = {
  '^.+\\.ts$': [
    '@swc/jest',
    {
      jsc: { parser: { syntax: 'typescript' }, target: 'es2023', keepClassNames: true },
      module: { type: 'commonjs' },
      sourceMaps: 'inline',
    },
  ],
};

const common = {
  testEnvironment: 'node',
  testEnvironmentOptions: { customExportConditions: ['@switchboard/source', 'node', 'require', 'default'] },
  transform,
  moduleFileExtensions: ['ts', 'js', 'json'],
  prettierPath: null,
};

/** Unit tests: pure, fast, next to the code (`src/**\/*.test.ts`). */
function unit(dir) {
  return { ...common, rootDir: dir, roots: ['<rootDir>/src'], testMatch: ['**/*.test.ts'] };
}

/** Integration tests under `test/`, against real Kafka and PostgreSQL provided by the testkit. */
function integration(dir, extra = {}) {
  return {
    ...common,
    rootDir: dir,
    roots: ['<rootDir>/test'],
    testMatch: ['**/*.int.test.ts'],
    globalSetup: path.join(__dirname, 'libs/testkit/src/jest/global-setup.ts'),
    globalTeardown: path.join(__dirname, 'libs/testkit/src/jest/global-teardown.ts'),
    testTimeout: 120_000,
    maxWorkers: 1,
    ...extra,
  };
}

module.exports = { unit, integration };
