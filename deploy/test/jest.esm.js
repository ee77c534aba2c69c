// kubernetes-models and @kubernetes-models/* ship ESM only: resolve their "import" condition
// (jest-resolver.js) and compile those files to CommonJS for jest, which cannot require ESM without
// --experimental-vm-modules. Ingestion's ESM-only dependencies (services/ingestion/jest.esm-only.js) too.
const path = require('node:path');

const esmOnly = [
  'kubernetes-models',
  '@kubernetes-models',
  'is-cidr',
  'cidr-regex',
  'ip-regex',
  'content-disposition',
  'cookie',
];

module.exports = function withEsm(config) {
  return {
    ...config,
    resolver: path.join(__dirname, 'jest-resolver.js'),
    transform: { ...config.transform, '^.+\\.js$': config.transform['^.+\\.ts$'] },
    transformIgnorePatterns: [`/node_modules/(?!(\\.pnpm/)?(${esmOnly.join('|')})[@/+])`],
  };
};
