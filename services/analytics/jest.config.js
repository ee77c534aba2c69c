// node-pg-migrate is ESM-only; jest's CommonJS runtime needs it compiled (see jest-esm.js).
module.exports = require('./jest-esm.js')(require('../../jest.base.js').unit(__dirname));
