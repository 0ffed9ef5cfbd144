/**
 * Mutation test for the policy gate: every rule must deny a compliant stack that has been broken in
 * the one way that rule is about. By default the compliant stacks are the fixtures under
 * policies/fixtures; point it at a real synthesis with
 *   POLICY_MUTATION_OUT=cdktf.out npx jest test/policy/mutations.test.ts
 * which reads cdktf.out/stacks/<stack>/cdk.tf.json with cdktf.out/policy-data/<stack>.json ({environment, stack}).
 */
import * as fs from 'fs';
import * as path from 'path';
import { GatePolicy, loadGatePolicy, POLICY_RULES, PolicyData } from '../../lib/policy';
import { FIXTURE_IDS, JsonObject, clone, loadFixture } from './fixtures';
import { COMPLIANT_VARIANTS, MUTATIONS } from './mutations';

interface CompliantStack {
  readonly id: string;
  readonly doc: JsonObject;
  readonly data: PolicyData;
}

function compliantStacks(): CompliantStack[] {
  const out = process.env.POLICY_MUTATION_OUT;
  if (out === undefined || out === '') {
    // The plan-JSON fixture has its own shape; mutations edit cdk.tf.json documents.
    return FIXTURE_IDS.filter((id) => id !== 'aws_plan').map((id) => {
      const fixture = loadFixture(id);
      return { id, doc: fixture.input, data: fixture.data };
    });
  }
  const stacksDir = path.join(out, 'stacks');
  return fs
    .readdirSync(stacksDir)
    .sort()
    .map((name) => ({
      id: name,
      doc: JSON.parse(fs.readFileSync(path.join(stacksDir, name, 'cdk.tf.json'), 'utf8')) as JsonObject,
      data: JSON.parse(fs.readFileSync(path.join(out, 'policy-data', `${name}.json`), 'utf8')) as PolicyData,
    }));
}

const stacks = compliantStacks();
let policy: GatePolicy;

beforeAll(async () => {
  policy = await loadGatePolicy();
});

describe('compliant stacks', () => {
  test.each(stacks.map((s) => [s.id, s] as const))('%s is clean before mutation', (_id, stack) => {
    expect(policy.evaluate(stack.doc, stack.data).denies.map((f) => `${f.rule} ${f.address}`)).toEqual([]);
  });
});

const cases = MUTATIONS.flatMap((mutation) => stacks.map((stack) => [mutation.rule, mutation.description, stack.id, mutation, stack] as const));
const killed = new Set<string>();

describe('each mutation is denied by its rule', () => {
  test.each(cases)('%s: %s in %s', (rule, _description, _id, mutation, stack) => {
    const doc = clone(stack.doc);
    const result = mutation.apply({ doc, data: stack.data });
    if (result === undefined) {
      return; // nothing of that kind in this stack
    }
    const evaluation = policy.evaluate(doc, result.data ?? stack.data);
    const denied = evaluation.denies.filter((f) => f.rule === rule);
    expect(denied.map((f) => f.address)).toContain(result.address);
    const finding = denied.find((f) => f.address === result.address)!;
    expect(finding.message).toContain(rule.startsWith('tenancy.') && finding.address.startsWith('stack.') ? 'Tenant stack' : result.address);
    expect(finding.fix.length).toBeGreaterThan(10);
    killed.add(rule);
  });
});

const variantCases = COMPLIANT_VARIANTS.flatMap((variant) => stacks.map((stack) => [variant.description, stack.id, variant, stack] as const));

describe('compliant variants pass (no false denials)', () => {
  test.each(variantCases)('%s in %s', (_description, _id, variant, stack) => {
    const doc = clone(stack.doc);
    if (!variant.apply({ doc, data: stack.data })) {
      return; // nothing of that kind in this stack
    }
    expect(policy.evaluate(doc, stack.data).denies.map((f) => `${f.rule} ${f.address}: ${f.message}`)).toEqual([]);
  });
});

describe('rule catalogue', () => {
  test('every rule in lib/policy/rules.ts is killed by at least one mutation', () => {
    if (process.env.POLICY_MUTATION_OUT) {
      return; // a real synthesis of one cloud cannot exercise the other cloud's rules
    }
    expect(Object.keys(POLICY_RULES).filter((rule) => !killed.has(rule))).toEqual([]);
  });

  test('every rule a mutation produces is catalogued', () => {
    expect(MUTATIONS.map((m) => m.rule).filter((rule) => POLICY_RULES[rule] === undefined)).toEqual([]);
  });
});
