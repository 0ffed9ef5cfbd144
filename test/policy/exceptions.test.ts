/**
 * The config schema (lib/policy/exception-reason.ts) and the Rego (lib.findings.valid_reason) must agree
 * on which reasons are written ones: otherwise conftest would honour an exception the schema refuses.
 */
import { exceptionReasonProblem, loadGatePolicy, PLACEHOLDER_WORDS } from '../../lib/policy';
import { clone, loadFixture } from './fixtures';

const REASONS = [
  'Rotation handled by an external HSM process (SEC-7).',
  'Accepted by the CISO, ticket SEC-42',
  'todo',
  'TODO: explain this later',
  'Will fix later, promise',
  'n/a for this resource type',
  'N/A.',
  'temp: until migration is done',
  'placeholder reason for now',
  'Pending (TBD) with the vendor',
  'two words',
  '          ',
  'abc def g',
  ...PLACEHOLDER_WORDS.map((word) => `Accepted for now, ${word}.`),
];

describe('exception reasons: schema and Rego agree', () => {
  test.each(REASONS)('%j', async (reason) => {
    const policy = await loadGatePolicy();
    const fixture = loadFixture('aws_platform');
    const input = clone(fixture.input) as any;
    input.resource.aws_kms_key.platform.enable_key_rotation = false;
    const exception = { rule: 'encryption.kms_rotation', resource: 'aws_kms_key.platform', stack: fixture.data.stack.name, reason };
    const result = policy.evaluate(input, { ...fixture.data, environment: { ...fixture.data.environment, exceptions: [exception] } });
    const acceptedByRego = result.excepted.length === 1 && result.denies.length === 0;
    expect(acceptedByRego).toBe(exceptionReasonProblem(reason) === undefined);
  });

  test('the table covers both outcomes', () => {
    expect(REASONS.filter((r) => exceptionReasonProblem(r) === undefined).length).toBeGreaterThanOrEqual(2);
    expect(REASONS.filter((r) => exceptionReasonProblem(r) !== undefined).length).toBeGreaterThanOrEqual(10);
  });
});
