import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../../lib/rollout/cli';
import { PlanGate } from '../../lib/rollout/plan-gate';
import { StateInventory } from '../../lib/rollout/state-inventory';
import { fakeSynth, FakeRunner, planJson } from './fake-runner';

/** dev: state, platform <- addons <- workloads <- two tenants (the split topology, from dependencies only). */
const TOPOLOGY = {
  'dev-state': [],
  'dev-platform': [],
  'dev-addons': ['dev-platform'],
  'dev-workloads': ['dev-platform', 'dev-addons'],
  'dev-tenant-b': ['dev-workloads'],
  'dev-tenant-a': ['dev-workloads'],
};

/** Terraform that has changes for every stack but dev-state. */
const respond = (s: string, sub: string): { exitCode?: number; stdout?: string; stderr?: string } => {
  if (sub === 'plan') return { exitCode: s === 'dev-state' ? 0 : 2 };
  if (sub === 'show') return { stdout: planJson(`terraform_data.${s}`) };
  return {};
};

describe('plan, gate, approve, apply the same plan', () => {
  let dir: string;
  let out: string;
  let err: string;
  let gateCalls: Array<{ synthDir: string; plans: readonly { stack: string; planJsonFile: string }[] }>;
  let gatePasses: boolean;

  const gate: PlanGate = async (request) => {
    gateCalls.push({ synthDir: request.synthDir, plans: request.plans });
    return { passed: gatePasses, summary: gatePasses ? 'policy gate passed' : 'DENY tags.required dev-platform/aws_s3_bucket.b' };
  };
  const cli = (argv: string[], runner: FakeRunner, inventory?: StateInventory) =>
    runCli(argv, {
      cwd: dir,
      env: {},
      stdout: (t) => (out += t),
      stderr: (t) => (err += t),
      gate,
      runner,
      inventory: () => inventory,
      stdinIsTTY: false,
    });
  const deployReport = () => JSON.parse(readFileSync(path.join(dir, 'cdktf.out', 'rollout-reports', 'deploy-report.json'), 'utf8'));

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'rollout-deploy-'));
    out = '';
    err = '';
    gateCalls = [];
    gatePasses = true;
    fakeSynth(dir, TOPOLOGY);
    writeFileSync(path.join(dir, 'dev.yaml'), 'name: dev\n');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('plan saves each plan file and plan JSON with a manifest tied to the synth, and the gate judges the JSON', async () => {
    const runner = new FakeRunner(respond);
    expect(await cli(['plan', '--env-file', 'dev.yaml', '--plan-dir', 'plans'], runner)).toBe(0);
    const planDir = path.join(dir, 'plans');
    const manifest = JSON.parse(readFileSync(path.join(planDir, 'plan-manifest.json'), 'utf8'));
    expect(manifest.stacks.map((s: { name: string; status: string }) => `${s.name}=${s.status}`)).toEqual([
      'dev-state=no-changes',
      'dev-platform=changes',
      'dev-addons=changes',
      'dev-workloads=changes',
      'dev-tenant-a=changes',
      'dev-tenant-b=changes',
    ]);
    expect(manifest.gate).toEqual({ passed: true });
    expect(manifest.synthIdentity).toMatch(/^[0-9a-f]{64}$/);
    expect(readFileSync(path.join(planDir, 'stacks', 'dev-addons.tfplan'), 'utf8')).toBe('plan of dev-addons\n');
    expect(JSON.parse(readFileSync(path.join(planDir, 'stacks', 'dev-addons.plan.json'), 'utf8')).resource_changes[0].address).toBe('terraform_data.dev-addons');
    // terraform plan wrote straight into the plan directory.
    expect(runner.calls.find((c) => c.subcommand === 'plan' && c.dir.endsWith('dev-addons'))?.args).toContain(`-out=${path.join(planDir, 'stacks', 'dev-addons.tfplan')}`);
    // The gate saw every plan with changes (not the unchanged state stack) and the synth it came from.
    expect(gateCalls).toHaveLength(1);
    expect(gateCalls[0].synthDir).toBe(path.join(dir, 'cdktf.out'));
    expect(gateCalls[0].plans.map((p) => p.stack)).toEqual(['dev-platform', 'dev-addons', 'dev-workloads', 'dev-tenant-a', 'dev-tenant-b']);
  });

  it('deploy applies exactly the saved plans in dependency order, never planning again', async () => {
    await cli(['plan', '--env-file', 'dev.yaml', '--plan-dir', 'plans'], new FakeRunner(respond));
    const runner = new FakeRunner();
    expect(await cli(['deploy', '--env-file', 'dev.yaml', '--plan-dir', 'plans'], runner)).toBe(0);
    expect(runner.trace).toEqual([
      'dev-platform:init',
      'dev-platform:apply',
      'dev-addons:init',
      'dev-addons:apply',
      'dev-workloads:init',
      'dev-workloads:apply',
      'dev-tenant-a:init',
      'dev-tenant-a:apply',
      'dev-tenant-b:init',
      'dev-tenant-b:apply',
    ]);
    expect(runner.calls[1].args).toEqual(['-lock-timeout=300s', path.join(dir, 'plans', 'stacks', 'dev-platform.tfplan')]);
    expect(deployReport().result).toMatchObject({ status: 'applied', unchanged: ['dev-state'], notAttempted: [] });
    // The gate judged the saved plans again before the first apply.
    expect(gateCalls).toHaveLength(2);
  });

  it('refuses (exit 3, nothing touched) when nothing was planned', async () => {
    const runner = new FakeRunner();
    expect(await cli(['deploy', '--env-file', 'dev.yaml', '--plan-dir', 'plans'], runner)).toBe(3);
    expect(runner.calls).toEqual([]);
    expect(err).toContain(`deploy refused: ${path.join(dir, 'plans')} holds no saved plan (no plan-manifest.json): run npm run plan -- --plan-dir`);
  });

  it('refuses a plan made from a different synth, naming the changed stack', async () => {
    await cli(['plan', '--env-file', 'dev.yaml', '--plan-dir', 'plans'], new FakeRunner(respond));
    writeFileSync(path.join(dir, 'cdktf.out', 'stacks', 'dev-workloads', 'cdk.tf.json'), '{"changed":true}');
    const runner = new FakeRunner();
    expect(await cli(['deploy', '--env-file', 'dev.yaml', '--plan-dir', 'plans'], runner)).toBe(3);
    expect(runner.calls).toEqual([]);
    expect(err).toContain('were made from a different synth than the one being deployed (configuration changed: dev-workloads)');
    expect(deployReport().result.status).toBe('refused');
  });

  it('does not let --synth-dir point deploy at a folder other than the one planned and judged', async () => {
    await cli(['plan', '--env-file', 'dev.yaml', '--plan-dir', 'plans'], new FakeRunner(respond));
    const other = path.join(dir, 'other.out');
    cpSync(path.join(dir, 'cdktf.out'), other, { recursive: true });
    writeFileSync(path.join(other, 'stacks', 'dev-tenant-a', 'cdk.tf.json'), '{"resource":{"aws_s3_bucket":{"public":{}}}}');
    const runner = new FakeRunner();
    expect(await cli(['deploy', '--env-file', 'dev.yaml', '--plan-dir', 'plans', '--synth-dir', 'other.out'], runner)).toBe(3);
    expect(runner.calls).toEqual([]);
    expect(err).toContain('(configuration changed: dev-tenant-a)');
  });

  it('refuses a plan directory missing a selected stack', async () => {
    await cli(['plan', '--env-file', 'dev.yaml', '--plan-dir', 'plans', '--stacks', 'platform'], new FakeRunner(respond));
    const runner = new FakeRunner();
    expect(await cli(['deploy', '--env-file', 'dev.yaml', '--plan-dir', 'plans'], runner)).toBe(3);
    expect(runner.calls).toEqual([]);
    expect(err).toContain('has no plan for dev-state, dev-addons, dev-workloads, dev-tenant-a, dev-tenant-b (it holds: dev-platform)');
    // The same selection deploys.
    expect(await cli(['deploy', '--env-file', 'dev.yaml', '--plan-dir', 'plans', '--stacks', 'platform'], runner)).toBe(0);
    expect(runner.trace).toEqual(['dev-platform:init', 'dev-platform:apply']);
  });

  it('refuses a plan whose gate did not pass, and a plan a stack failed to make', async () => {
    gatePasses = false;
    expect(await cli(['plan', '--env-file', 'dev.yaml', '--plan-dir', 'plans'], new FakeRunner(respond))).toBe(3);
    gatePasses = true;
    const runner = new FakeRunner();
    expect(await cli(['deploy', '--env-file', 'dev.yaml', '--plan-dir', 'plans'], runner)).toBe(3);
    expect(err).toContain('the policy gate did not pass on the plans in');
    expect(runner.calls).toEqual([]);

    const failing = new FakeRunner((s, sub) => (s === 'dev-workloads' && sub === 'plan' ? { exitCode: 1, stderr: 'Error: no outputs yet' } : respond(s, sub)));
    expect(await cli(['plan', '--env-file', 'dev.yaml', '--plan-dir', 'plans'], failing)).toBe(1);
    expect(await cli(['deploy', '--env-file', 'dev.yaml', '--plan-dir', 'plans'], runner)).toBe(3);
    expect(err).toContain('dev-workloads failed to plan (see plan-report.md)');
    expect(runner.calls).toEqual([]);
  });

  it('refuses when the gate denies the saved plans at deploy time, or a plan file changed after review', async () => {
    await cli(['plan', '--env-file', 'dev.yaml', '--plan-dir', 'plans'], new FakeRunner(respond));
    const runner = new FakeRunner();
    gatePasses = false;
    expect(await cli(['deploy', '--env-file', 'dev.yaml', '--plan-dir', 'plans'], runner)).toBe(3);
    expect(err).toContain('deploy refused: the policy gate denies the saved plans');
    gatePasses = true;
    writeFileSync(path.join(dir, 'plans', 'stacks', 'dev-tenant-b.tfplan'), 'another plan');
    expect(await cli(['deploy', '--env-file', 'dev.yaml', '--plan-dir', 'plans'], runner)).toBe(3);
    expect(err).toContain(`${path.join(dir, 'plans', 'stacks', 'dev-tenant-b.tfplan')} is missing or changed since it was planned`);
    expect(runner.calls).toEqual([]);
  });

  it('stops at the first failing stack and names it with the terraform error tail', async () => {
    await cli(['plan', '--env-file', 'dev.yaml', '--plan-dir', 'plans'], new FakeRunner(respond));
    const runner = new FakeRunner((s, sub) => (s === 'dev-addons' && sub === 'apply' ? { exitCode: 1, stderr: 'Error: creating Helm release: timeout' } : {}));
    expect(await cli(['deploy', '--env-file', 'dev.yaml', '--plan-dir', 'plans', '--parallel', '4'], runner)).toBe(1);
    expect(runner.trace).toEqual(['dev-platform:init', 'dev-platform:apply', 'dev-addons:init', 'dev-addons:apply']);
    expect(err).toContain('rollout: deploy stopped at stack "dev-addons": terraform apply failed (exit 1):\nError: creating Helm release: timeout');
    expect(deployReport().result).toMatchObject({ status: 'failed', applied: ['dev-platform'], notAttempted: ['dev-workloads', 'dev-tenant-a', 'dev-tenant-b'] });
  });

  it('stops for a new plan when an applied stack changed outputs its dependents were planned against', async () => {
    const outputs = new FakeRunner((s, sub) => (s === 'dev-addons' && sub === 'show' ? { stdout: planJson('helm_release.crds', ['create'], 'crd_groups') } : respond(s, sub)));
    await cli(['plan', '--env-file', 'dev.yaml', '--plan-dir', 'plans'], outputs);
    const runner = new FakeRunner();
    expect(await cli(['deploy', '--env-file', 'dev.yaml', '--plan-dir', 'plans'], runner)).toBe(1);
    expect(runner.trace).toEqual(['dev-platform:init', 'dev-platform:apply', 'dev-addons:init', 'dev-addons:apply']);
    expect(err).toContain('deploy stopped after "dev-addons": it changed outputs that dev-workloads read');
    expect(deployReport().result.status).toBe('replan');
  });

  describe('tenant removal', () => {
    const state = (resources: number) => JSON.stringify({ version: 4, resources: Array.from({ length: resources }, (_, i) => ({ mode: 'managed', type: 'aws_s3_bucket', name: `b${i}`, instances: [{}] })) });
    const inventory = (states: Record<string, string>): StateInventory => ({
      location: 's3://dev-tfstate/dev/',
      listStacks: async () => Object.keys(states),
      readState: async (stack) => states[stack],
    });

    it('stops with the destroy command when the backend has live state of a stack no longer synthesized', async () => {
      await cli(['plan', '--env-file', 'dev.yaml', '--plan-dir', 'plans'], new FakeRunner(respond));
      const runner = new FakeRunner();
      const states = { 'dev-platform': state(3), 'dev-tenant-a': state(1), 'dev-tenant-gone': state(2), 'dev-tenant-emptied': state(0) };
      expect(await cli(['deploy', '--env-file', 'dev.yaml', '--plan-dir', 'plans'], runner, inventory(states))).toBe(3);
      expect(runner.calls).toEqual([]);
      expect(err).toContain('s3://dev-tfstate/dev/ holds state with live resources for dev-tenant-gone, which this synth no longer has');
      expect(err).toContain('npm run destroy -- --stacks dev-tenant-gone');
      // A destroyed stack's (empty) state is not an orphan.
      expect(err).not.toContain('dev-tenant-emptied,');
    });

    it('goes ahead when every stack with state is still synthesized', async () => {
      await cli(['plan', '--env-file', 'dev.yaml', '--plan-dir', 'plans'], new FakeRunner(respond));
      const runner = new FakeRunner();
      expect(await cli(['deploy', '--env-file', 'dev.yaml', '--plan-dir', 'plans'], runner, inventory({ 'dev-platform': state(3), 'dev-tenant-emptied': state(0) }))).toBe(0);
      expect(runner.trace.filter((t) => t.endsWith(':apply'))).toHaveLength(5);
    });
  });

  it('refuses to use a directory that is not a plan directory', async () => {
    writeFileSync(path.join(dir, 'README.md'), 'not a plan');
    const runner = new FakeRunner(respond);
    expect(await cli(['plan', '--env-file', 'dev.yaml', '--plan-dir', '.'], runner)).toBe(1);
    expect(err).toContain(`${dir} is not a plan directory (it holds README.md, cdktf.out, dev.yaml); give --plan-dir an empty or new directory`);
    expect(runner.calls).toEqual([]);
  });

  it('keeps plan files out of the report directory CI publishes', async () => {
    await cli(['plan', '--env-file', 'dev.yaml', '--plan-dir', 'plans', '--out', 'reports'], new FakeRunner(respond));
    expect(readdirSync(path.join(dir, 'reports')).sort()).toEqual(['plan-report.json', 'plan-report.md']);
  });
});
