// The gRPC round trips need no Kafka or PostgreSQL, so they skip the testkit's infrastructure setup.
module.exports = require('../../jest.base.js').integration(__dirname, {
  globalSetup: undefined,
  globalTeardown: undefined,
  testTimeout: 30_000,
});
