// The fast suite (`npm test`): everything but the integration tests listed in jest.base.js.
const { base, INTEGRATION_TESTS } = require('./jest.base');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', ...INTEGRATION_TESTS.map((file) => `<rootDir>/${file}`)],
};
