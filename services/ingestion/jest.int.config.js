module.exports = require('./jest.esm-only.js')(require('../../jest.base.js').integration(__dirname));
