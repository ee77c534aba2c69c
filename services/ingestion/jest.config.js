module.exports = require('./jest.esm-only.js')(require('../../jest.base.js').unit(__dirname));
