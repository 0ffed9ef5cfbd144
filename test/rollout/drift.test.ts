import { detectDrift } from '../../lib/rollout/drift';
import { changedAttributeNames, changedOutputs, driftedResources, plannedChanges } from '../../lib/rollout/plan-json';
import { terraformArgs } from '../../lib/rollout/runner';
import { FakeRunner, stack } from './fake-runner';

/** The shape `terraform show -json` gives for a refresh-only plan (trimmed to what we read). */
function driftPlan(drift: unknown[], outputs: Record<string, unknown> = {}): string {
  return JSON.stringify({ format_version: '1.2', terraform_version: '1.11.4', resource_drift: drift, output_changes: outputs });
}

const tagDrift = {
  address: 'aws_s3_bucket.reports',
  mode: 'managed',
  type: 'aws_s3_bucket',
  name: 'reports',
  change: {
    actions: ['update'],
    before: { bucket: 'b', tags: { owner: 'platform' }, tags_all: { owner: 'platform' }, acl: null },
    after: { bucket: 'b', tags: { owner: 'someone' }, tags_all: { owner: 'someone' }, acl: null },
  },
};

describe('plan JSON reading', () => {
  it('lists changed top-level attributes, ignoring key order and null-vs-empty noise', () => {
    expect(changedAttributeNames({ a: { x: 1, y: 2 }, b: 1, t: null, l: [] }, { a: { y: 2, x: 1 }, b: 2, t: {}, l: null, n: '' })).toEqual(['b']);
  });

  it('reads resource_drift sorted by address, drops null-vs-empty-only updates, keeps deletions', () => {
    const json = JSON.parse(
      driftPlan([
        tagDrift,
        { address: 'aws_kms_key.data', change: { actions: ['update'], before: { tags: null, enable_key_rotation: true }, after: { tags: {}, enable_key_rotation: true } } },
        { address: 'aws_iam_role.gone', change: { actions: ['delete'], before: { name: 'r' }, after: null } },
      ]),
    );
    expect(driftedResources(json)).toEqual([
      { address: 'aws_iam_role.gone', actions: ['delete'], changedAttributes: [] },
      { address: 'aws_s3_bucket.reports', actions: ['update'], changedAttributes: ['tags', 'tags_all'] },
    ]);
  });

  it('reads changed outputs and planned changes', () => {
    const json = { format_version: '1.2', output_changes: { b: { actions: ['update'] }, a: { actions: ['no-op'] } }, resource_changes: [
      { address: 'z.b', change: { actions: ['no-op'] } },
      { address: 'a.x', change: { actions: ['delete', 'create'] } },
    ] };
    expect(changedOutputs(json)).toEqual(['b']);
    expect(plannedChanges(json)).toEqual([{ address: 'a.x', actions: ['delete', 'create'] }]);
  });

  it('rejects something that is not a plan', () => {
    expect(() => driftedResources({ hello: 1 })).toThrow('did not return a plan document');
  });
});

describe('terraformArgs', () => {
  it('adds -chdir, -input=false and -no-color where the subcommand accepts them', () => {
    expect(terraformArgs('/s/dev-state', 'plan', ['-refresh-only'])).toEqual(['-chdir=/s/dev-state', 'plan', '-input=false', '-no-color', '-refresh-only']);
    // `show` rejects -input; it must not get it.
    expect(terraformArgs('/s/dev-state', 'show', ['-json', 'p'])).toEqual(['-chdir=/s/dev-state', 'show', '-no-color', '-json', 'p']);
  });
});

describe('detectDrift', () => {
  const stacks = [stack('dev-state'), stack('dev-platform'), stack('dev-workloads'), stack('dev-tenant-a')];

  it('classifies each stack and keeps going after an error', async () => {
    const runner = new FakeRunner((s, sub) => {
      if (s === 'dev-state') return sub === 'plan' ? { exitCode: 0 } : {};
      if (s === 'dev-platform') return sub === 'plan' ? { exitCode: 2 } : sub === 'show' ? { stdout: driftPlan([tagDrift]) } : {};
      if (s === 'dev-workloads') return sub === 'plan' ? { exitCode: 1, stderr: 'Error: Unauthorized\n' } : {};
      // Exit 2 with nothing in the plan JSON: terraform's refresh-only exit code is not proof of drift.
      return sub === 'plan' ? { exitCode: 2 } : sub === 'show' ? { stdout: driftPlan([]) } : {};
    });
    const results = await detectDrift({ stacks, runner, parallel: 1, log: () => undefined });
    expect(results.map((r) => [r.stack, r.status])).toEqual([
      ['dev-state', 'in-sync'],
      ['dev-platform', 'drifted'],
      ['dev-workloads', 'error'],
      ['dev-tenant-a', 'in-sync'],
    ]);
    expect(results[1].resources).toEqual([{ address: 'aws_s3_bucket.reports', actions: ['update'], changedAttributes: ['tags', 'tags_all'] }]);
    expect(results[2].error).toBe('terraform plan -refresh-only failed (exit 1):\nError: Unauthorized');
    expect(runner.trace).toEqual([
      'dev-state:init',
      'dev-state:plan',
      'dev-platform:init',
      'dev-platform:plan',
      'dev-platform:show',
      'dev-workloads:init',
      'dev-workloads:plan',
      'dev-tenant-a:init',
      'dev-tenant-a:plan',
      'dev-tenant-a:show',
    ]);
    expect(runner.calls[1].args).toEqual(['-refresh-only', '-detailed-exitcode', '-lock-timeout=300s', '-out=rollout-drift.tfplan']);
    expect(runner.calls[4].args).toEqual(['-json', 'rollout-drift.tfplan']);
  });

  it('reports init failures and unreadable show output as errors', async () => {
    const runner = new FakeRunner((s, sub) => {
      if (s === 'dev-state' && sub === 'init') return { exitCode: 1, stderr: 'Error: Backend initialization required' };
      if (sub === 'plan') return { exitCode: 2 };
      if (sub === 'show') return { stdout: 'not json' };
      return {};
    });
    const results = await detectDrift({ stacks: stacks.slice(0, 2), runner, parallel: 1, log: () => undefined });
    expect(results[0]).toMatchObject({ status: 'error', error: 'terraform init failed (exit 1):\nError: Backend initialization required' });
    expect(results[1].status).toBe('error');
    expect(results[1].error).toMatch(/^terraform show -json printed something that is not JSON/);
  });
});
