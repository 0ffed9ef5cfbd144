import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../../lib/rollout/cli';
import { RunResult } from '../../lib/rollout/runner';
import { APPLIED, fakeSynth, FakeRunner, offboarded, planJson } from './fake-runner';

/**
 * `npm run offboard -- --env-file dev.yaml --tenant a`: one command, in this order and each step only if
 * the one before succeeded: synth (+ its gate) with a's offboard forced on -> plan of dev-tenant-a ->
 * the plan gate -> confirmation -> deploy (gate again, apply of the saved plan) -> destroy (offboarding
 * gate, destroy). One event list records the synth, both gates and every terraform call.
 */
const TOPOLOGY = { 'dev-platform': [], 'dev-workloads': ['dev-platform'], 'dev-tenant-a': ['dev-workloads'], 'dev-tenant-b': ['dev-workloads'] };

describe('npm run offboard', () => {
  let dir: string;
  let out: string;
  let err: string;
  let events: string[];
  let synthExit: number;
  let gatePasses: boolean;
  let questions: string[];

  /** Terraform: changes to plan everywhere, its plan JSON, an applied offboarding in the state; `fail` overrides. */
  const runner = (fail: (stack: string, sub: string) => Partial<RunResult> | undefined = () => undefined) =>
    new FakeRunner((s, sub, args) => {
      events.push(`${s}:${sub}`);
      const failure = fail(s, sub);
      if (failure !== undefined) return failure;
      if (sub === 'plan') return { exitCode: 2 };
      // show -json <planfile> is the plan; show -json alone is the state (the offboarding gate's check).
      if (sub === 'show') return { stdout: args.length > 1 ? planJson(`kubernetes_job_v1.litellm`) : APPLIED };
      return {};
    });

  const cli = (argv: string[], terraform: FakeRunner, terminal?: { answer: string }) =>
    runCli(argv, {
      cwd: dir,
      env: {},
      stdout: (t) => (out += t),
      stderr: (t) => (err += t),
      gate: async (request) => {
        events.push(`gate(${path.relative(dir, request.synthDir)}: ${request.plans.map((p) => p.stack).join(',')})`);
        return { passed: gatePasses, summary: gatePasses ? 'policy gate passed' : 'DENY something' };
      },
      runner: terraform,
      inventory: () => undefined,
      stdinIsTTY: terminal !== undefined,
      ask: async (q) => {
        questions.push(q);
        events.push('confirm');
        return terminal?.answer ?? '';
      },
      // The synth of apps/synth.ts, faked: only the tenant it was asked to offboard gets the offboarding Jobs.
      synthesize: async (envFile, synthDir, tenantId) => {
        events.push(`synth+gate(${path.basename(envFile)}, offboard ${tenantId})`);
        if (synthExit === 0) fakeSynth(dir, TOPOLOGY, (name) => (name === `dev-tenant-${tenantId}` ? offboarded(name) : { resource: { terraform_data: { [name]: {} } } }), synthDir);
        return synthExit;
      },
    });
  const reports = () => path.join(dir, 'cdktf.offboard', 'a', 'rollout-reports');
  const report = (name: string) => JSON.parse(readFileSync(path.join(reports(), `${name}-report.json`), 'utf8'));

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'rollout-offboard-'));
    out = '';
    err = '';
    events = [];
    questions = [];
    synthExit = 0;
    gatePasses = true;
    writeFileSync(path.join(dir, 'dev.yaml'), 'name: dev\n');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('synthesizes with the override, plans, gates, applies the saved plan, then destroys: only the tenant stack', async () => {
    const terraform = runner();
    expect(await cli(['offboard', '--env-file', 'dev.yaml', '--tenant', 'a', '--yes'], terraform)).toBe(0);
    expect(events).toEqual([
      'synth+gate(dev.yaml, offboard a)',
      'dev-tenant-a:init',
      'dev-tenant-a:plan',
      'dev-tenant-a:show',
      'gate(cdktf.offboard/a: dev-tenant-a)',
      // deploy judges the saved plan JSON again before applying it
      'gate(cdktf.offboard/a: dev-tenant-a)',
      'dev-tenant-a:init',
      'dev-tenant-a:apply',
      // destroy's offboarding gate reads the state: the Jobs are there, applied
      'dev-tenant-a:init',
      'dev-tenant-a:show',
      'dev-tenant-a:init',
      'dev-tenant-a:destroy',
    ]);
    const planDir = path.join(dir, 'cdktf.offboard', 'a', 'rollout-plan');
    expect(terraform.calls.find((c) => c.subcommand === 'apply')!.args).toEqual(['-lock-timeout=300s', path.join(planDir, 'stacks', 'dev-tenant-a.tfplan')]);
    expect(terraform.calls.find((c) => c.subcommand === 'destroy')!.args).toEqual(['-auto-approve', '-lock-timeout=300s']);

    expect(report('plan').stacks.map((s: { stack: string }) => s.stack)).toEqual(['dev-tenant-a']);
    expect(report('deploy').result.applied).toEqual(['dev-tenant-a']);
    expect(report('destroy').result.destroyed).toEqual(['dev-tenant-a']);
    // The report says what was removed outside the state, and the Markdown is printed.
    expect(report('destroy').removedOutsideState).toEqual({ 'dev-tenant-a': ['LiteLLM key and team of dev-tenant-a', 'queue ACL user of dev-tenant-a'] });
    expect(out).toContain('- `dev-tenant-a`: LiteLLM key and team of dev-tenant-a');
    expect(err).toContain(`Last step: delete its entry (id: a) from tenants[] in ${path.join(dir, 'dev.yaml')} and commit`);
    // The environment file is the operator's: not edited.
    expect(readFileSync(path.join(dir, 'dev.yaml'), 'utf8')).toBe('name: dev\n');
  });

  it('destroys nothing when the apply of the offboarding fails', async () => {
    const terraform = runner((s, sub) => (sub === 'apply' ? { exitCode: 1, stderr: 'Error: job tenant-a-litellm-offboard failed' } : undefined));
    expect(await cli(['offboard', '--env-file', 'dev.yaml', '--tenant', 'a', '--yes'], terraform)).toBe(1);
    expect(events.filter((e) => /:(apply|destroy)$/.test(e))).toEqual(['dev-tenant-a:apply']);
    expect(existsSync(path.join(reports(), 'destroy-report.json'))).toBe(false);
    expect(report('deploy').result.status).toBe('failed');
    expect(err).toContain('tenant "a" not removed: its offboarding was not applied, so nothing was destroyed. Fix the cause and run the same command again');
  });

  it('applies and destroys nothing when the plan gate denies or the plan fails', async () => {
    gatePasses = false;
    expect(await cli(['offboard', '--env-file', 'dev.yaml', '--tenant', 'a', '--yes'], runner())).toBe(3);
    expect(events.filter((e) => /:(apply|destroy)$/.test(e))).toEqual([]);
    expect(report('plan').gate).toBe('denied');

    gatePasses = true;
    events = [];
    expect(await cli(['offboard', '--env-file', 'dev.yaml', '--tenant', 'a', '--yes'], runner((s, sub) => (sub === 'plan' ? { exitCode: 1 } : undefined)))).toBe(1);
    expect(events.filter((e) => /:(apply|destroy)$/.test(e) || e.startsWith('gate'))).toEqual([]);
  });

  it('touches nothing when synth refuses: its gate denies (3), or the file does not list the tenant (2)', async () => {
    synthExit = 3;
    expect(await cli(['offboard', '--env-file', 'dev.yaml', '--tenant', 'a', '--yes'], runner())).toBe(3);
    expect(err).toContain('offboard refused: the policy gate denies the synthesized configuration');
    synthExit = 2;
    expect(await cli(['offboard', '--env-file', 'dev.yaml', '--tenant', 'zz', '--yes'], runner())).toBe(2);
    expect(events).toEqual(['synth+gate(dev.yaml, offboard a)', 'synth+gate(dev.yaml, offboard zz)']);
  });

  it('asks after the plan passed and before anything is applied; without a terminal it needs --yes', async () => {
    expect(await cli(['offboard', '--env-file', 'dev.yaml', '--tenant', 'a'], runner())).toBe(3);
    expect(events).toEqual([]);
    expect(err).toContain('offboard refused: no terminal to confirm on; pass --yes to remove tenant "a" without asking');

    expect(await cli(['offboard', '--env-file', 'dev.yaml', '--tenant', 'a'], runner(), { answer: 'no' })).toBe(3);
    expect(events.slice(-2)).toEqual(['gate(cdktf.offboard/a: dev-tenant-a)', 'confirm']);
    expect(questions).toEqual([
      'This removes tenant "a" of dev: its offboarding Jobs delete its LiteLLM team and keys (LLM and embeddings) and its queue ACL user and streams, then every resource of dev-tenant-a is destroyed. Type "yes" to continue: ',
    ]);
    expect(err).toContain('offboard refused: not confirmed; nothing was touched');

    events = [];
    expect(await cli(['offboard', '--env-file', 'dev.yaml', '--tenant', 'a'], runner(), { answer: 'yes' })).toBe(0);
    // Asked once: the destroy does not ask again.
    expect(events.filter((e) => e === 'confirm')).toEqual(['confirm']);
    expect(events.indexOf('confirm')).toBeLessThan(events.indexOf('dev-tenant-a:apply'));
  });

  it('says so when the destroy fails after the offboarding was applied', async () => {
    const terraform = runner((s, sub) => (sub === 'destroy' ? { exitCode: 1, stderr: 'Error: namespace stuck terminating' } : undefined));
    expect(await cli(['offboard', '--env-file', 'dev.yaml', '--tenant', 'a', '--yes'], terraform)).toBe(1);
    expect(report('destroy').result.status).toBe('failed');
    expect(err).toContain('tenant "a" not removed: its offboarding ran but dev-tenant-a was not (fully) destroyed');
  });

  it('needs an environment file, and writes where --synth-dir / --out say', async () => {
    expect(await cli(['offboard', '--tenant', 'a', '--yes'], runner())).toBe(2);
    expect(err).toContain('offboard needs --env-file (or $ENV_FILE)');
    expect(await cli(['offboard', '--env-file', 'dev.yaml', '--tenant', 'a', '--yes', '--synth-dir', 'o', '--out', 'r'], runner())).toBe(0);
    expect(events).toContain('gate(o: dev-tenant-a)');
    expect(existsSync(path.join(dir, 'r', 'destroy-report.md'))).toBe(true);
  });
});
