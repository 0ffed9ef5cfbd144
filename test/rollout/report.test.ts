import { StackDrift } from '../../lib/rollout/drift';
import { destroyExitCode, driftExitCode, deployExitCode, planExitCode } from '../../lib/rollout/exit-codes';
import { buildDeployReport, buildDriftReport, buildPlanReport, renderJson, renderMarkdown } from '../../lib/rollout/report';

const driftResults: StackDrift[] = [
  { stack: 'dev-state', status: 'in-sync', resources: [], outputs: [] },
  {
    stack: 'dev-platform',
    status: 'drifted',
    resources: [
      { address: 'aws_kms_key.data', actions: ['update'], changedAttributes: ['enable_key_rotation'] },
      { address: 'aws_s3_bucket.reports', actions: ['update'], changedAttributes: ['tags', 'tags_all'] },
    ],
    outputs: ['cluster_endpoint'],
  },
  { stack: 'dev-workloads', status: 'error', resources: [], outputs: [], error: 'terraform plan -refresh-only failed (exit 1):\nError: Unauthorized | ```oops```' },
];

describe('exit codes', () => {
  it.each([
    [['in-sync', 'in-sync'], 0],
    [[], 0],
    [['in-sync', 'drifted'], 2],
    [['drifted', 'error'], 1],
    [['error'], 1],
  ] as const)('drift %j -> %d', (statuses, code) => expect(driftExitCode(statuses)).toBe(code));

  it('plan fails only on errors, deploy only succeeds when applied', () => {
    expect(planExitCode(['no-changes', 'changes'], true)).toBe(0);
    expect(planExitCode(['no-changes', 'changes'], false)).toBe(3);
    expect(planExitCode(['changes', 'error'], false)).toBe(1);
    expect(deployExitCode('applied')).toBe(0);
    expect(deployExitCode('refused')).toBe(3);
    expect(deployExitCode('failed')).toBe(1);
    expect(deployExitCode('replan')).toBe(1);
    expect(destroyExitCode('destroyed')).toBe(0);
    expect(destroyExitCode('refused')).toBe(3);
    expect(destroyExitCode('failed')).toBe(1);
  });
});

describe('drift report', () => {
  it('renders JSON with a fixed key order and no timestamp unless given', () => {
    const json = renderJson(buildDriftReport(driftResults, { environment: 'dev' }));
    expect(json).not.toContain('generatedAt');
    expect(json.endsWith('}\n')).toBe(true);
    const parsed = JSON.parse(json);
    expect(Object.keys(parsed)).toEqual(['kind', 'environment', 'exitCode', 'summary', 'stacks']);
    expect(parsed.exitCode).toBe(1);
    expect(parsed.summary).toEqual({ stacks: 3, inSync: 1, drifted: 1, error: 1 });
    expect(Object.keys(parsed.stacks[2])).toEqual(['stack', 'status', 'resources', 'outputs', 'error']);

    const stamped = JSON.parse(renderJson(buildDriftReport(driftResults, { environment: 'dev', generatedAt: '2026-11-21T06:00:00Z' })));
    expect(Object.keys(stamped).slice(0, 3)).toEqual(['kind', 'environment', 'generatedAt']);
  });

  it('is byte-for-byte reproducible whatever the key order of its input', () => {
    const shuffled: StackDrift[] = driftResults.map((r) => JSON.parse(JSON.stringify(Object.fromEntries(Object.entries(r).reverse()))));
    const a = buildDriftReport(driftResults, { environment: 'dev' });
    const b = buildDriftReport(shuffled, { environment: 'dev' });
    expect(renderJson(b)).toBe(renderJson(a));
    expect(renderMarkdown(b)).toBe(renderMarkdown(a));
  });

  it('renders Markdown for a job summary', () => {
    const md = renderMarkdown(buildDriftReport(driftResults.slice(0, 2), { environment: 'dev', generatedAt: '2026-11-21T06:00:00Z' }));
    expect(md).toBe(
      [
        '# Drift report: dev',
        '',
        'Generated at 2026-11-21T06:00:00Z.',
        '',
        '**Result: drift detected** (exit 2): 1 drifted, 1 in sync, 0 error(s), 2 stack(s) checked.',
        '',
        '| Stack | Status | Drifted resources |',
        '| --- | --- | --- |',
        '| dev-state | in sync | - |',
        '| dev-platform | **drifted** | 2 |',
        '',
        '## dev-platform: drifted',
        '',
        '| Resource | Action | Changed attributes |',
        '| --- | --- | --- |',
        '| `aws_kms_key.data` | update | `enable_key_rotation` |',
        '| `aws_s3_bucket.reports` | update | `tags`, `tags_all` |',
        '',
        'Outputs that changed: `cluster_endpoint`.',
        '',
        'To resolve: either re-apply the stack to restore the declared configuration (`npm run deploy`), or change the configuration to adopt the out-of-band change and deploy that.',
        '',
      ].join('\n'),
    );
  });

  it('shows errors in a fence that their own backticks cannot close', () => {
    const md = renderMarkdown(buildDriftReport(driftResults, { environment: null }));
    expect(md.startsWith('# Drift report: all stacks\n')).toBe(true);
    expect(md).toContain('**Result: check failed** (exit 1)');
    expect(md).toContain('## dev-workloads: error\n\n````text\nterraform plan -refresh-only failed (exit 1):\nError: Unauthorized | ```oops```\n````\n');
  });

  it('says so when all is in sync', () => {
    const md = renderMarkdown(buildDriftReport([driftResults[0]], { environment: 'dev' }));
    expect(md).toContain('**Result: no drift** (exit 0): 0 drifted, 1 in sync, 0 error(s), 1 stack(s) checked.');
    expect(md).not.toContain('##');
    expect(md).not.toContain('To resolve');
  });
});

describe('plan and deploy reports', () => {
  it('renders a plan report', () => {
    const report = buildPlanReport(
      {
        stacks: [
          { stack: 'dev-state', status: 'no-changes', changes: [] },
          { stack: 'dev-platform', status: 'changes', changes: [{ address: 'aws_eks_cluster.main', actions: ['delete', 'create'] }] },
        ],
        gate: { passed: true, summary: 'policy gate passed' },
      },
      { environment: 'dev' },
    );
    expect(report.exitCode).toBe(0);
    expect(report.gate).toBe('passed');
    expect(renderMarkdown(report)).toContain('Policy gate over the plan JSON: passed');
    expect(renderMarkdown(report)).toContain('| `aws_eks_cluster.main` | delete, create |');
    expect(JSON.parse(renderJson(report)).summary).toEqual({ stacks: 2, noChanges: 1, changes: 1, error: 0 });
  });

  it('renders a failed deploy with the stack, the step and the tail', () => {
    const report = buildDeployReport(
      {
        status: 'failed',
        applied: ['dev-state'],
        unchanged: [],
        failed: { stack: 'dev-platform', step: 'apply', exitCode: 1, tail: 'Error: AccessDenied' },
        notAttempted: ['dev-workloads'],
        message: 'deploy stopped at stack "dev-platform"',
      },
      { environment: 'dev' },
    );
    expect(report.exitCode).toBe(1);
    expect(renderMarkdown(report)).toBe(
      [
        '# Deploy report: dev',
        '',
        '**Result: failed** (exit 1).',
        '',
        '- Applied: `dev-state`',
        '- Unchanged: none',
        '- Failed: `dev-platform` at `terraform apply` (exit 1)',
        '- Not attempted: `dev-workloads`',
        '',
        '```text',
        'Error: AccessDenied',
        '```',
        '',
      ].join('\n'),
    );
  });
});
