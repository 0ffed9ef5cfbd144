import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { policyPlanGate } from '../../lib/rollout/plan-gate';
import { clone, loadFixture } from '../policy/fixtures';

/** The in-process gate over saved plan JSON, judged with the data synth wrote for the stack. */
describe('policyPlanGate', () => {
  let dir: string;
  const stack = 'uae-prod-platform';

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'rollout-plan-gate-'));
    const fixture = loadFixture('aws_plan');
    mkdirSync(path.join(dir, 'synth', 'policy-data'), { recursive: true });
    writeFileSync(path.join(dir, 'synth', 'policy-data', `${stack}.json`), JSON.stringify({ environment: fixture.data.environment, stack: { ...fixture.data.stack, name: stack } }));
    mkdirSync(path.join(dir, 'plans', 'stacks'), { recursive: true });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const judge = async (plan: unknown) => {
    const planJsonFile = path.join(dir, 'plans', 'stacks', `${stack}.plan.json`);
    writeFileSync(planJsonFile, JSON.stringify(plan));
    return policyPlanGate({ synthDir: path.join(dir, 'synth'), plans: [{ stack, planJsonFile }], reportDir: path.join(dir, 'plans') });
  };

  it('passes a compliant plan and writes the report into the plan directory', async () => {
    const verdict = await judge(loadFixture('aws_plan').input);
    expect(verdict.passed).toBe(true);
    const report = JSON.parse(readFileSync(path.join(dir, 'plans', 'policy-report.json'), 'utf8'));
    expect(report.passed).toBe(true);
    expect(report.stacks).toEqual([expect.objectContaining({ name: stack, file: path.join('stacks', `${stack}.plan.json`), denies: 0 })]);
  });

  it('denies a plan that breaks a rule, naming it', async () => {
    const plan = clone(loadFixture('aws_plan').input);
    const changes = plan.resource_changes as Array<{ type: string; change: { after: Record<string, unknown> } }>;
    changes.find((c) => c.type === 'aws_kms_key')!.change.after.enable_key_rotation = false;
    const verdict = await judge(plan);
    expect(verdict.passed).toBe(false);
    expect(verdict.summary).toContain(`DENY encryption.kms_rotation ${stack}/`);
    expect(JSON.parse(readFileSync(path.join(dir, 'plans', 'policy-report.json'), 'utf8')).denies.map((f: { rule: string }) => f.rule)).toEqual(['encryption.kms_rotation']);
  });

  it('fails closed without the data synth writes', async () => {
    rmSync(path.join(dir, 'synth', 'policy-data'), { recursive: true });
    await expect(judge(loadFixture('aws_plan').input)).rejects.toThrow(/policy-data\/uae-prod-platform\.json; synthesize with npm run synth/);
  });
});
