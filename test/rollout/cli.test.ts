import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs, runCli, USAGE } from '../../lib/rollout/cli';
import { UsageError } from '../../lib/rollout/errors';
import { fakeSynth, FakeRunner } from './fake-runner';

describe('parseArgs', () => {
  it('parses all options in both spellings', () => {
    expect(parseArgs(['drift', '--env-file', 'examples/dev.yaml', '--out=r', '--stacks', 'platform, tenant-a', '--synth-dir', 'o'])).toEqual({
      command: 'drift',
      envFile: 'examples/dev.yaml',
      outDir: 'r',
      stacks: ['platform', 'tenant-a'],
      synthDir: 'o',
      parallel: 1,
      yes: false,
      skipOffboarding: false,
    });
    expect(parseArgs(['drift', '--parallel', '8', '--shard=2/4'])).toMatchObject({ parallel: 8, shard: { index: 2, count: 4 } });
    expect(parseArgs(['deploy', '--plan-dir', 'p', '--parallel=4'])).toMatchObject({ planDir: 'p', parallel: 4 });
    expect(parseArgs(['destroy', '--stacks', 'tenant-a', '--yes'])).toMatchObject({ command: 'destroy', stacks: ['tenant-a'], yes: true, skipOffboarding: false });
    expect(parseArgs(['destroy', '--stacks', 'tenant-a', '--skip-offboarding'])).toMatchObject({ skipOffboarding: true });
    expect(parseArgs(['offboard', '--tenant', 'acme', '--yes'])).toMatchObject({ command: 'offboard', tenant: 'acme', yes: true });
    expect(parseArgs(['plan', '--help'])).toBe('help');
  });

  it.each([
    [[], 'missing command'],
    [['apply'], 'unknown command "apply"; expected one of plan, deploy, drift, destroy, offboard'],
    [['drift', '--parallel', '0'], '--parallel must be a whole number from 1 to 32, got "0"'],
    [['drift', '--parallel', '2.5'], '--parallel must be a whole number from 1 to 32'],
    [['drift', '--shard', '3/2'], '--shard must be I/N with 1 <= I <= N (e.g. 2/8), got "3/2"'],
    [['deploy', '--shard', '1/2'], 'option --shard is for drift, not deploy'],
    [['plan', '--yes'], 'option --yes is for destroy, offboard, not plan'],
    [['offboard'], 'offboard needs --tenant naming the tenant to remove (its tenants[].id)'],
    [['offboard', '--tenant', 'a', '--stacks', 'tenant-a'], 'option --stacks is for plan, deploy, drift, destroy, not offboard'],
    [['offboard', '--tenant', 'a', '--skip-offboarding'], 'option --skip-offboarding is for destroy, not offboard'],
    [['destroy', '--stacks', 'tenant-a', '--tenant', 'a'], 'option --tenant is for offboard, not destroy'],
    [['deploy', '--skip-offboarding'], 'option --skip-offboarding is for destroy, not deploy'],
    [['destroy', '--yes', '--yes', '--stacks', 'a'], 'option --yes given twice'],
    [['drift', '--plan-dir', 'p'], 'option --plan-dir is for plan, deploy, not drift'],
    [['destroy'], 'destroy needs --stacks naming exactly what to destroy'],
    [['plan', '--env'], 'unknown option "--env"'],
    [['plan', 'extra'], 'unexpected argument "extra"'],
    [['plan', '--out'], 'option --out needs a value'],
    [['plan', '--out', '--stacks', 'a'], 'option --out needs a value'],
    [['plan', '--out=a', '--out=b'], 'option --out given twice'],
    [['plan', '--stacks', 'a,,b'], '--stacks has an empty name'],
  ])('%j -> %s', (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(UsageError);
    expect(() => parseArgs(argv)).toThrow(message);
  });
});

describe('runCli', () => {
  let dir: string;
  let out: string;
  let err: string;
  const deps = (runner: FakeRunner) => ({
    cwd: dir,
    env: {},
    stdout: (t: string) => (out += t),
    stderr: (t: string) => (err += t),
    gate: async () => ({ passed: true, summary: 'policy gate passed' }),
    runner,
    inventory: () => undefined,
    stdinIsTTY: false,
  });

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'rollout-cli-'));
    out = '';
    err = '';
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('exits 2 with the usage text on bad usage, without a stack trace', async () => {
    expect(await runCli(['apply'], deps(new FakeRunner()))).toBe(2);
    expect(err).toBe(`rollout: unknown command "apply"; expected one of plan, deploy, drift, destroy, offboard\n\n${USAGE}\n`);
    expect(err).not.toMatch(/\n\s+at /);
  });

  it('exits 2 for a missing environment file', async () => {
    fakeSynth(dir, { 'dev-state': [] });
    expect(await runCli(['plan', '--env-file', 'nope.yaml'], deps(new FakeRunner()))).toBe(2);
    expect(err).toMatch(/^rollout: environment file not found: .*nope\.yaml/);
  });

  it('exits 1 with one line when nothing was synthesized', async () => {
    expect(await runCli(['drift'], deps(new FakeRunner()))).toBe(1);
    expect(err).toMatch(/^rollout: no cdktf manifest at .*: synthesize first \(npm run synth\)/);
    expect(err.trim().split('\n')).toHaveLength(1);
  });

  it('exits 1 naming the cycle', async () => {
    fakeSynth(dir, { 'dev-platform': ['dev-workloads'], 'dev-workloads': ['dev-platform'] });
    expect(await runCli(['plan'], deps(new FakeRunner()))).toBe(1);
    expect(err).toContain('dependency cycle: dev-platform -> dev-workloads -> dev-platform');
  });

  it('runs drift on the environment stacks in order, writes both reports and exits 2 on drift', async () => {
    fakeSynth(dir, { 'dev-workloads': ['dev-platform'], 'dev-platform': [], 'dev-state': [], 'other-state': [] });
    writeFileSync(path.join(dir, 'dev.yaml'), 'name: dev\ncloud: aws\n');
    const drift = JSON.stringify({
      format_version: '1.2',
      resource_drift: [{ address: 'aws_s3_bucket.b', change: { actions: ['update'], before: { tags: { a: '1' } }, after: { tags: { a: '2' } } } }],
    });
    const runner = new FakeRunner((s, sub) => (s === 'dev-platform' && sub === 'plan' ? { exitCode: 2 } : s === 'dev-platform' && sub === 'show' ? { stdout: drift } : {}));

    const code = await runCli(['drift', '--env-file', 'dev.yaml', '--out', 'reports'], deps(runner));
    expect(code).toBe(2);
    expect(runner.trace.filter((t) => t.endsWith(':plan'))).toEqual(['dev-state:plan', 'dev-platform:plan', 'dev-workloads:plan']);
    const json = JSON.parse(readFileSync(path.join(dir, 'reports', 'drift-report.json'), 'utf8'));
    expect(json.environment).toBe('dev');
    expect(json.stacks.map((s: { stack: string; status: string }) => `${s.stack}=${s.status}`)).toEqual(['dev-state=in-sync', 'dev-platform=drifted', 'dev-workloads=in-sync']);
    expect(readFileSync(path.join(dir, 'reports', 'drift-report.md'), 'utf8')).toBe(out);
    expect(out).toContain('| `aws_s3_bucket.b` | update | `tags` |');
  });

  it('honours --stacks with short names and rejects unknown ones', async () => {
    fakeSynth(dir, { 'dev-state': [], 'dev-platform': [] });
    writeFileSync(path.join(dir, 'dev.yaml'), 'name: dev\n');
    const runner = new FakeRunner();
    expect(await runCli(['plan', '--env-file', 'dev.yaml', '--stacks', 'platform'], deps(runner))).toBe(0);
    expect(runner.trace).toEqual(['dev-platform:init', 'dev-platform:plan']);
    expect(await runCli(['plan', '--env-file', 'dev.yaml', '--stacks', 'platfrom'], deps(runner))).toBe(1);
    expect(err).toContain('unknown stack "platfrom"');
  });

  it('leaves out --exclude stacks, rejecting unknown names', async () => {
    fakeSynth(dir, { 'dev-state': [], 'dev-platform': [], 'dev-tenant-a': [] });
    writeFileSync(path.join(dir, 'dev.yaml'), 'name: dev\n');
    const runner = new FakeRunner();
    expect(await runCli(['drift', '--env-file', 'dev.yaml', '--exclude', 'state'], deps(runner))).toBe(0);
    expect(runner.trace.filter((t) => t.endsWith(':plan'))).toEqual(['dev-platform:plan', 'dev-tenant-a:plan']);
    expect(await runCli(['drift', '--env-file', 'dev.yaml', '--exclude', 'stat'], deps(runner))).toBe(1);
    expect(err).toContain('unknown stack "stat"');
  });

  it('finds the output where synth wrote it (CDKTF_OUTDIR)', async () => {
    fakeSynth(path.join(dir, 'elsewhere'), { 'dev-state': [] });
    const runner = new FakeRunner();
    expect(await runCli(['plan'], { ...deps(runner), env: { CDKTF_OUTDIR: 'elsewhere/cdktf.out' } })).toBe(0);
    expect(runner.calls[0].dir).toBe(path.join(dir, 'elsewhere', 'cdktf.out', 'stacks', 'dev-state'));
  });

  it('uses ENV_FILE when --env-file is absent, like synth does', async () => {
    fakeSynth(dir, { 'dev-state': [], 'prod-state': [] });
    writeFileSync(path.join(dir, 'prod.yaml'), 'name: prod\n');
    const runner = new FakeRunner();
    expect(await runCli(['plan'], { ...deps(runner), env: { ENV_FILE: 'prod.yaml' } })).toBe(0);
    expect(runner.trace).toEqual(['prod-state:init', 'prod-state:plan']);
  });
});
