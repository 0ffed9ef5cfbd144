import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs, runCli, USAGE } from '../../lib/rollout/cli';
import { UsageError } from '../../lib/rollout/errors';
import { FakeRunner } from './fake-runner';

/** A synthesized-looking output directory with the given stacks (name -> dependencies). */
function fakeSynth(root: string, stacks: Record<string, string[]>): void {
  const out = path.join(root, 'cdktf.out');
  const manifest: Record<string, unknown> = {};
  for (const [name, deps] of Object.entries(stacks)) {
    mkdirSync(path.join(out, 'stacks', name), { recursive: true });
    manifest[name] = { name, constructPath: name, workingDirectory: `stacks/${name}`, synthesizedStackPath: `stacks/${name}/cdk.tf.json`, dependencies: deps, annotations: [] };
  }
  writeFileSync(path.join(out, 'manifest.json'), JSON.stringify({ version: '0.21.0', stacks: manifest }));
}

describe('parseArgs', () => {
  it('parses all options in both spellings', () => {
    expect(parseArgs(['drift', '--env-file', 'examples/dev.yaml', '--out=r', '--stacks', 'platform, tenant-a', '--synth-dir', 'o'])).toEqual({
      command: 'drift',
      envFile: 'examples/dev.yaml',
      outDir: 'r',
      stacks: ['platform', 'tenant-a'],
      synthDir: 'o',
    });
    expect(parseArgs(['plan', '--help'])).toBe('help');
  });

  it.each([
    [[], 'missing command'],
    [['apply'], 'unknown command "apply"; expected one of plan, deploy, drift'],
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
  const deps = (runner: FakeRunner, gate = async () => true) => ({
    cwd: dir,
    env: {},
    stdout: (t: string) => (out += t),
    stderr: (t: string) => (err += t),
    gate,
    runner,
  });

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'rollout-cli-'));
    out = '';
    err = '';
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('exits 2 with the usage text on bad usage, without a stack trace', async () => {
    expect(await runCli(['destroy'], deps(new FakeRunner()))).toBe(2);
    expect(err).toBe(`rollout: unknown command "destroy"; expected one of plan, deploy, drift\n\n${USAGE}\n`);
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

  it('deploy exits 1 and touches nothing when the gate blocks', async () => {
    fakeSynth(dir, { 'dev-state': [] });
    const runner = new FakeRunner();
    expect(await runCli(['deploy'], deps(runner, async () => false))).toBe(1);
    expect(runner.calls).toEqual([]);
    expect(err).toContain('deploy blocked by the policy gate');
    expect(JSON.parse(readFileSync(path.join(dir, 'cdktf.out', 'rollout-reports', 'deploy-report.json'), 'utf8')).result.status).toBe('blocked');
  });

  it('deploy exits 1 naming the failing stack', async () => {
    fakeSynth(dir, { 'dev-state': [], 'dev-platform': [] });
    const runner = new FakeRunner((s, sub) => (s === 'dev-state' && sub === 'apply' ? { exitCode: 1, stderr: 'Error: boom' } : {}));
    expect(await runCli(['deploy'], deps(runner))).toBe(1);
    expect(err).toContain('rollout: deploy stopped at stack "dev-state": terraform apply failed (exit 1):\nError: boom');
    expect(runner.trace).toEqual(['dev-state:init', 'dev-state:apply']);
  });
});
