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

// Dependencies that ship ESM only (node-pg-migrate; cookie behind fastify's inject; content-disposition behind
// @fastify/swagger-ui): jest's CommonJS runtime cannot require them without --experimental-vm-modules, so SWC
// compiles them to CommonJS like our own sources.
const ESM_ONLY = ['node-pg-migrate', 'cookie', 'content-disposition'];
transform[`/node_modules/(\\.pnpm/)?(${ESM_ONLY.join('|')})[@/].*\\.js$`] = [
  '@swc/jest',
  {
    jsc: { parser: { syntax: 'ecmascript' }, target: 'es2023' },
    module: { type: 'commonjs' },
  },
];

const common = {
  testEnvironment: 'node',
  testEnvironmentOptions: { customExportConditions: ['@switchboard/source', 'node', 'require', 'default'] },
  transform,
  transformIgnorePatterns: [`/node_modules/(?!(\\.pnpm/)?(${ESM_ONLY.join('|')})[@/])`],
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
    // kafkajs leaves sockets and timers behind after disconnect; without this a finished run can hang
    // until CI's time limit. Every test still stops what it started; teardown runs before the exit.
    forceExit: true,
    ...extra,
  };
}

module.exports = { unit, integration };
