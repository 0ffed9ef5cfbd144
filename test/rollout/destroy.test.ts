import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../../lib/rollout/cli';
import { inventoryFromSynth, orphanedStacks } from '../../lib/rollout/state-inventory';
import { APPLIED, fakeSynth, FakeRunner, offboarded, offboardingJob, stack, stateJson } from './fake-runner';

/** Terraform whose tenant states hold their applied offboarding Jobs. */
const offboardedRunner = (respond: ConstructorParameters<typeof FakeRunner>[0] = () => ({})) =>
  new FakeRunner((s, sub, args) => (sub === 'show' ? { stdout: APPLIED } : respond!(s, sub, args)));

describe('npm run destroy', () => {
  let dir: string;
  let err: string;
  const cli = (argv: string[], runner: FakeRunner, terminal?: { answer: string }) => {
    const questions: string[] = [];
    const run = runCli(argv, {
      cwd: dir,
      env: {},
      stdout: () => undefined,
      stderr: (t) => (err += t),
      gate: async () => ({ passed: true, summary: '' }),
      runner,
      inventory: () => undefined,
      stdinIsTTY: terminal !== undefined,
      ask: async (q) => {
        questions.push(q);
        return terminal?.answer ?? '';
      },
    });
    return run.then((code) => ({ code, questions }));
  };

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'rollout-destroy-'));
    err = '';
    fakeSynth(dir, { 'dev-platform': [], 'dev-workloads': ['dev-platform'], 'dev-tenant-a': ['dev-workloads'], 'dev-tenant-b': ['dev-workloads'] }, offboarded);
    writeFileSync(path.join(dir, 'dev.yaml'), 'name: dev\n');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses without --yes when stdin is not a terminal (CI), touching nothing', async () => {
    const runner = new FakeRunner();
    expect((await cli(['destroy', '--env-file', 'dev.yaml', '--stacks', 'tenant-a'], runner)).code).toBe(3);
    expect(runner.calls).toEqual([]);
    expect(err).toContain('destroy refused: no terminal to confirm on; pass --yes to destroy dev-tenant-a without asking');
  });

  it('asks on a terminal and goes ahead only on "yes"', async () => {
    const runner = offboardedRunner();
    const declined = await cli(['destroy', '--env-file', 'dev.yaml', '--stacks', 'tenant-a'], runner, { answer: 'no' });
    expect(declined.code).toBe(3);
    expect(declined.questions).toEqual(['This destroys every resource of dev-tenant-a. Type "yes" to continue: ']);
    expect(runner.calls).toEqual([]);

    expect((await cli(['destroy', '--env-file', 'dev.yaml', '--stacks', 'tenant-a'], runner, { answer: 'yes' })).code).toBe(0);
    // The offboarding check (init + show -json of the state) before the destroy.
    expect(runner.trace).toEqual(['dev-tenant-a:init', 'dev-tenant-a:show', 'dev-tenant-a:init', 'dev-tenant-a:destroy']);
    expect(runner.calls[1].args).toEqual(['-json']);
    expect(runner.calls[3].args).toEqual(['-auto-approve', '-lock-timeout=300s']);
  });

  it('destroys exactly the named stacks, dependents first, with --yes', async () => {
    const runner = offboardedRunner();
    const run = await cli(['destroy', '--env-file', 'dev.yaml', '--stacks', 'platform,workloads,tenant-a,tenant-b', '--yes'], runner);
    expect(run.code).toBe(0);
    expect(run.questions).toEqual([]);
    expect(runner.trace.filter((t) => t.endsWith(':destroy'))).toEqual(['dev-tenant-b:destroy', 'dev-tenant-a:destroy', 'dev-workloads:destroy', 'dev-platform:destroy']);
    expect(JSON.parse(readFileSync(path.join(dir, 'cdktf.out', 'rollout-reports', 'destroy-report.json'), 'utf8')).result.destroyed).toEqual([
      'dev-tenant-b',
      'dev-tenant-a',
      'dev-workloads',
      'dev-platform',
    ]);
  });

  it('refuses to destroy a stack that a remaining stack reads', async () => {
    const runner = new FakeRunner();
    expect((await cli(['destroy', '--env-file', 'dev.yaml', '--stacks', 'workloads', '--yes'], runner)).code).toBe(1);
    expect(err).toContain('cannot destroy dev-workloads alone: dev-tenant-a reads dev-workloads; dev-tenant-b reads dev-workloads');
    expect(runner.calls).toEqual([]);
  });

  it('stops at the first failure', async () => {
    const runner = offboardedRunner((s, sub) => (s === 'dev-tenant-b' && sub === 'destroy' ? { exitCode: 1, stderr: 'Error: bucket not empty' } : {}));
    expect((await cli(['destroy', '--env-file', 'dev.yaml', '--stacks', 'workloads,tenant-a,tenant-b', '--yes'], runner)).code).toBe(1);
    expect(runner.trace.filter((t) => t.endsWith(':destroy'))).toEqual(['dev-tenant-b:destroy']);
    expect(err).toContain('destroy stopped at stack "dev-tenant-b": terraform destroy failed (exit 1):\nError: bucket not empty');
  });

  it('the report says what each destroyed stack removed outside its state, and which tenant was not offboarded', async () => {
    fakeSynth(dir, { 'dev-platform': [], 'dev-workloads': ['dev-platform'], 'dev-tenant-a': ['dev-workloads'], 'dev-tenant-b': ['dev-workloads'] }, (name) =>
      name === 'dev-tenant-a'
        ? { resource: { kubernetes_job_v1: { q: offboardingJob('queue ACL user tenant-a and the keys tenant:a:*'), l: offboardingJob('LiteLLM key a and team a') } } }
        : { resource: { terraform_data: { [name]: {} } } },
    );
    const runner = new FakeRunner((s, sub) => (sub === 'show' ? { stdout: stateJson({ 'kubernetes_job_v1.q': false, 'kubernetes_job_v1.l': false }) } : {}));
    expect((await cli(['destroy', '--env-file', 'dev.yaml', '--stacks', 'tenant-a,tenant-b', '--yes', '--skip-offboarding'], runner)).code).toBe(0);
    expect(err).toContain('--skip-offboarding: tenant stacks are destroyed whether or not they were offboarded');
    const reports = path.join(dir, 'cdktf.out', 'rollout-reports');
    const report = JSON.parse(readFileSync(path.join(reports, 'destroy-report.json'), 'utf8'));
    expect(report.removedOutsideState['dev-tenant-a']).toEqual(['LiteLLM key a and team a', 'queue ACL user tenant-a and the keys tenant:a:*']);
    expect(report.removedOutsideState['dev-tenant-b']).toEqual([expect.stringContaining('not offboarded first (tenants[].offboard: true)')]);
    const markdown = readFileSync(path.join(reports, 'destroy-report.md'), 'utf8');
    expect(markdown).toContain('Removed outside Terraform state (before the destroy):');
    expect(markdown).toContain('- `dev-tenant-a`: LiteLLM key a and team a');
  });

  describe('refuses a tenant that was not offboarded first', () => {
    it('when its synthesized stack has no offboarding Jobs: before asking or running anything, naming the tenant and the fix', async () => {
      fakeSynth(dir, { 'dev-platform': [], 'dev-workloads': ['dev-platform'], 'dev-tenant-a': ['dev-workloads'], 'dev-tenant-b': ['dev-workloads'] }, (name) =>
        name === 'dev-tenant-b' ? { resource: { terraform_data: { b: {} } } } : offboarded(name),
      );
      const runner = offboardedRunner();
      const run = await cli(['destroy', '--env-file', 'dev.yaml', '--stacks', 'tenant-a,tenant-b'], runner, { answer: 'yes' });
      expect(run.code).toBe(3);
      expect(run.questions).toEqual([]);
      expect(runner.calls).toEqual([]);
      expect(err).toContain('destroy refused: tenant "b" (stack dev-tenant-b) is not marked for offboarding');
      expect(err).toContain('set `offboard: true` on its entry in tenants[] (id: b)');
      expect(err).toContain('`npm run deploy -- --stacks tenant-b`, then destroy again');
      expect(err).toContain('pass --skip-offboarding');
      expect(err).not.toContain('tenant "a"');
      const report = JSON.parse(readFileSync(path.join(dir, 'cdktf.out', 'rollout-reports', 'destroy-report.json'), 'utf8'));
      expect(report.result.status).toBe('refused');
      expect(report.result.destroyed).toEqual([]);
    });

    it.each([
      ['not applied yet', stateJson({ 'kubernetes_job_v1.litellm': false, 'kubernetes_namespace_v1.ns': false }), 'kubernetes_job_v1.queue (not applied)'],
      ['failed (tainted)', stateJson({ 'kubernetes_job_v1.litellm': false, 'kubernetes_job_v1.queue': true }), 'kubernetes_job_v1.queue (failed: tainted)'],
    ])('when its offboarding Jobs are synthesized but %s: nothing is destroyed', async (_, state, named) => {
      const runner = new FakeRunner((s, sub) => (sub === 'show' ? { stdout: s === 'dev-tenant-b' ? state : APPLIED } : {}));
      expect((await cli(['destroy', '--env-file', 'dev.yaml', '--stacks', 'tenant-a,tenant-b', '--yes'], runner)).code).toBe(3);
      expect(runner.trace).toEqual(['dev-tenant-b:init', 'dev-tenant-b:show', 'dev-tenant-a:init', 'dev-tenant-a:show']);
      expect(err).toContain(`destroy refused: tenant "b" (stack dev-tenant-b) has not run its offboarding Jobs: ${named}`);
      expect(err).not.toContain('set `offboard: true`');
      expect(err).toContain('`npm run plan -- --stacks tenant-b` and `npm run deploy -- --stacks tenant-b`, then destroy again');
    });

    it('fails closed when the state cannot be read, and lets an empty state (nothing provisioned) through', async () => {
      const unreadable = new FakeRunner((s, sub) => (sub === 'show' ? { exitCode: 1, stderr: 'Error: Failed to load state' } : {}));
      expect((await cli(['destroy', '--env-file', 'dev.yaml', '--stacks', 'tenant-a', '--yes'], unreadable)).code).toBe(3);
      expect(err).toContain('destroy refused: cannot read the state of dev-tenant-a to check its offboarding: terraform show -json failed (exit 1):\nError: Failed to load state');
      expect(unreadable.trace).not.toContain('dev-tenant-a:destroy');

      const empty = new FakeRunner((s, sub) => (sub === 'show' ? { stdout: '{"format_version":"1.0"}' } : {}));
      expect((await cli(['destroy', '--env-file', 'dev.yaml', '--stacks', 'tenant-a', '--yes'], empty)).code).toBe(0);
      expect(empty.trace).toContain('dev-tenant-a:destroy');
    });

    it('--skip-offboarding destroys it anyway, without reading its state', async () => {
      fakeSynth(dir, { 'dev-platform': [], 'dev-workloads': ['dev-platform'], 'dev-tenant-a': ['dev-workloads'], 'dev-tenant-b': ['dev-workloads'] });
      const runner = new FakeRunner();
      expect((await cli(['destroy', '--env-file', 'dev.yaml', '--stacks', 'tenant-a', '--yes', '--skip-offboarding'], runner)).code).toBe(0);
      expect(runner.trace).toEqual(['dev-tenant-a:init', 'dev-tenant-a:destroy']);
    });
  });

  it('explains how to destroy a stack that is no longer synthesized', async () => {
    expect((await cli(['destroy', '--env-file', 'dev.yaml', '--stacks', 'tenant-gone', '--yes'], new FakeRunner())).code).toBe(1);
    expect(err).toContain('unknown stack "tenant-gone"');
    expect(err).toContain("destroy needs the stack's configuration: synthesize an environment file that still lists it");
  });
});

describe('state inventory', () => {
  const withBackend = (backend: unknown): ReturnType<typeof stack> => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'rollout-inventory-'));
    mkdirSync(path.join(dir, 'stacks', 'dev-tenant-a'), { recursive: true });
    writeFileSync(path.join(dir, 'stacks', 'dev-tenant-a', 'cdk.tf.json'), JSON.stringify({ terraform: { backend } }));
    return { ...stack('dev-tenant-a'), workingDirectory: path.join(dir, 'stacks', 'dev-tenant-a') };
  };

  it('lists an S3 backend with the aws CLI, keeping only <env>/<stack>.tfstate keys', async () => {
    const calls: string[][] = [];
    const keys = ['dev/dev-platform.tfstate', 'dev/dev-tenant-a.tfstate', 'dev/dev-tenant-a.tfstate.tflock', 'dev/old/x.tfstate'];
    const inventory = inventoryFromSynth(withBackend({ s3: { bucket: 'dev-tfstate-1', key: 'dev/dev-tenant-a.tfstate', region: 'me-central-1' } }), async (binary, args) => {
      calls.push([binary, ...args]);
      return { exitCode: 0, stdout: args[0] === 's3api' ? JSON.stringify(keys) : '{"resources":[]}', stderr: '' };
    })!;
    expect(inventory.location).toBe('s3://dev-tfstate-1/dev/');
    expect(await inventory.listStacks()).toEqual(['dev-platform', 'dev-tenant-a']);
    await inventory.readState('dev-platform');
    expect(calls).toEqual([
      ['aws', 's3api', 'list-objects-v2', '--bucket', 'dev-tfstate-1', '--prefix', 'dev/', '--region', 'me-central-1', '--query', 'Contents[].Key', '--output', 'json'],
      ['aws', 's3', 'cp', 's3://dev-tfstate-1/dev/dev-platform.tfstate', '-', '--region', 'me-central-1'],
    ]);
  });

  it('treats a bucket that does not exist yet as empty, and fails closed on other errors', async () => {
    const backend = withBackend({ s3: { bucket: 'b', key: 'dev/x.tfstate', region: 'me-central-1' } });
    const missing = inventoryFromSynth(backend, async () => ({ exitCode: 254, stdout: '', stderr: 'An error occurred (NoSuchBucket) when calling the ListObjectsV2 operation' }))!;
    expect(await missing.listStacks()).toEqual([]);
    const denied = inventoryFromSynth(backend, async () => ({ exitCode: 254, stdout: '', stderr: 'An error occurred (AccessDenied)' }))!;
    await expect(denied.listStacks()).rejects.toThrow('aws s3api list-objects-v2 --bucket b failed (exit 254); the tenant-removal check needs it:\nAn error occurred (AccessDenied)');
    const empty = inventoryFromSynth(backend, async () => ({ exitCode: 0, stdout: 'null\n', stderr: '' }))!;
    expect(await empty.listStacks()).toEqual([]);
  });

  it('lists an azurerm backend with az, signed in with Entra ID', async () => {
    const calls: string[][] = [];
    const inventory = inventoryFromSynth(withBackend({ azurerm: { storage_account_name: 'devtfstate', container_name: 'tfstate', key: 'dev/dev-tenant-a.tfstate' } }), async (binary, args) => {
      calls.push([binary, ...args]);
      return { exitCode: 0, stdout: '["dev/dev-tenant-a.tfstate"]', stderr: '' };
    })!;
    expect(await inventory.listStacks()).toEqual(['dev-tenant-a']);
    expect(calls[0]).toEqual(expect.arrayContaining(['az', 'storage', 'blob', 'list', '--account-name', 'devtfstate', '--container-name', 'tfstate', '--auth-mode', 'login', '--prefix', 'dev/']));
  });

  it('reads a local backend directory and has no inventory for HCP workspaces', async () => {
    const s = withBackend({ local: { path: '../../state/dev-tenant-a.tfstate' } });
    const stateDir = path.resolve(s.workingDirectory, '../../state');
    mkdirSync(stateDir, { recursive: true });
    writeFileSync(path.join(stateDir, 'dev-tenant-gone.tfstate'), JSON.stringify({ resources: [{ mode: 'managed', instances: [{}] }] }));
    writeFileSync(path.join(stateDir, 'dev-tenant-a.tfstate'), JSON.stringify({ resources: [{ mode: 'managed', instances: [{}] }] }));
    writeFileSync(path.join(stateDir, 'dev-tenant-a.tfstate.backup'), '{}');
    const inventory = inventoryFromSynth(s, async () => ({ exitCode: 1, stdout: '', stderr: '' }))!;
    expect((await inventory.listStacks()).sort()).toEqual(['dev-tenant-a', 'dev-tenant-gone']);
    expect(await orphanedStacks(inventory, ['dev-tenant-a'], 'dev')).toEqual(['dev-tenant-gone']);
    // Another environment's (or an unrelated) state in the same place is not ours to report.
    expect(await orphanedStacks(inventory, ['dev-tenant-a'], 'prod')).toEqual([]);
    expect(inventoryFromSynth(withBackend({ remote: { organization: 'o' } }), async () => ({ exitCode: 1, stdout: '', stderr: '' }))).toBeUndefined();
  });
});
