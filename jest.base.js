/**
 * Settings shared by the fast suite (jest.config.js, `npm test`) and the integration suite
 * (jest.integration.config.js, `npm run test:integration`).
 */

/**
 * Tests that need tools installed or built outside npm, or start stand-ins: they run in the
 * integration suite only. Paths relative to the repository root.
 */
const INTEGRATION_TESTS = [
  // terraform + the hashicorp/aws provider mirror + moto (a ~300 MB Python install into .tools/).
  'test/rollout/drift-moto.test.ts',
  // opa and conftest built from the Go module proxy into .tools/bin.
  'test/policy/parity.test.ts',
  // Debian's PostgreSQL server + barman[cloud] (PyPI -> .tools/venv-barman) + moto.
  'test/data/postgres-backup-moto.test.ts',
  // python3 + awscli (PyPI -> .tools/venv-awscli) + moto: the Qdrant backup script against fake peers.
  'test/data/qdrant-backup-moto.test.ts',
  // Worker threads that compile the TypeScript sources themselves (~15 s of CPU).
  'test/apps/sharded-synth-output.test.ts',
];

/** @type {import('jest').Config} */
const base = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }],
  },
  setupFilesAfterEnv: ['<rootDir>/test/setup.ts'],
  // Synthesizing whole stacks takes a few seconds on the 2-core CI machine.
  testTimeout: 120000,
};

module.exports = { base, INTEGRATION_TESTS };
