// Builds and boots deploy bundles: allow for a slow, shared machine.
module.exports = require('./jest.esm.js')(
  require('../../jest.base.js').integration(__dirname, { testTimeout: 600_000 }),
);
