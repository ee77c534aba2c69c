module.exports = require('./jest-esm.js')(require('../../jest.base.js').integration(__dirname));
