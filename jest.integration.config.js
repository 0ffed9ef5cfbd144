// The integration suite (`npm run test:integration`): tests that need tools beyond npm (jest.base.js).
const { base, INTEGRATION_TESTS } = require('./jest.base');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  testMatch: INTEGRATION_TESTS.map((file) => `<rootDir>/${file}`),
};
