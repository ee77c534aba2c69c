module.exports = require('./jest.esm.js')(require('../../jest.base.js').unit(__dirname));
