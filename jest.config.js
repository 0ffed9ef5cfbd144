// The fast suite (`npm test`): everything but the integration tests listed in jest.base.js.
const { base, INTEGRATION_TESTS } = require('./jest.base');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', ...INTEGRATION_TESTS.map((file) => `<rootDir>/${file}`)],
  // One worker per core: jest's default (cores - 1) ran the whole suite in one worker on the 2-core CI
  // machine, where the parent process is idle while workers run test files.
  maxWorkers: '100%',
  // Synthesizes the examples once for every test file that reads them (test/example-cache.ts).
  globalSetup: '<rootDir>/test/global-setup.ts',
};
