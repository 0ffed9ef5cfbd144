import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { formatGateSummary, gatePlanJson, loadGatePolicy, PolicyEnvironment, runPolicyGate, sortFindings } from '../../lib/policy';
import { CONTRACT, FIXTURE_IDS, clone, loadFixture } from './fixtures';

function writeOutdir(stacks: Record<string, unknown>): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'policy-gate-'));
  for (const [name, doc] of Object.entries(stacks)) {
    fs.mkdirSync(path.join(outdir, 'stacks', name), { recursive: true });
    fs.writeFileSync(path.join(outdir, 'stacks', name, 'cdk.tf.json'), JSON.stringify(doc));
  }
  return outdir;
}

describe('policy gate (wasm, in-process)', () => {
  test.each(FIXTURE_IDS)('compliant fixture %s has no denies', async (id) => {
    const policy = await loadGatePolicy();
    const fixture = loadFixture(id);
    const result = policy.evaluate(fixture.input, fixture.data);
    expect(result.denies).toEqual([]);
    expect(result.excepted).toEqual([]);
  });

  test('HCP Terraform shape (input.plan) gives the same answer as plan JSON', async () => {
    const policy = await loadGatePolicy();
    const plan = loadFixture('aws_plan');
    const broken = clone(plan.input);
    const changes = broken.resource_changes as Array<{ type: string; change: { after: Record<string, unknown> } }>;
    changes.find((c) => c.type === 'aws_kms_key')!.change.after.enable_key_rotation = false;
    const direct = policy.evaluate(broken, plan.data);
    const hcp = policy.evaluate({ plan: broken }, plan.data);
    expect(direct.denies.map((f) => f.rule)).toEqual(['encryption.kms_rotation']);
    expect(sortFindings(hcp.denies)).toEqual(sortFindings(direct.denies));
  });

  test('runPolicyGate refuses a damaged cdk.tf.json, naming it, rather than judging it as no input', async () => {
    const outdir = writeOutdir({ 'uae-prod-platform': loadFixture('aws_platform').input });
    const file = path.join(outdir, 'stacks', 'uae-prod-platform', 'cdk.tf.json');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').slice(0, 200));
    await expect(runPolicyGate({ outdir, environment: CONTRACT.environments.aws, stacks: [{ name: 'uae-prod-platform', kind: 'platform' }] })).rejects.toThrow(
      `policy gate: ${file} is not valid JSON`,
    );
  });

  test('runPolicyGate writes sorted reports, applies exceptions and fails on denies', async () => {
    const platform = clone(loadFixture('aws_platform').input) as any;
    platform.resource.aws_kms_key.platform.enable_key_rotation = false;
    platform.resource.aws_subnet.private_a.map_public_ip_on_launch = true;
    platform.resource.aws_eks_cluster.cluster.vpc_config.endpoint_public_access = true;
    const outdir = writeOutdir({
      'uae-prod-platform': platform,
      'uae-prod-tenant-acme': loadFixture('aws_tenant').input,
    });
    const environment: PolicyEnvironment = {
      ...CONTRACT.environments.aws,
      exceptions: [
        { rule: 'exposure.subnet_public_ip', resource: 'aws_subnet.private_a', stack: 'uae-prod-platform', reason: 'Bastion subnet approved by the CISO (ticket SEC-42).' },
        { rule: 'tags.required', resource: 'aws_vpc.nothing', stack: 'uae-prod-platform', reason: 'Left over from an old review; should be reported unused.' },
        // Tenant stacks share addresses: an exception scoped to another stack must not silence this one.
        { rule: 'encryption.kms_rotation', resource: 'aws_kms_key.platform', stack: 'uae-prod-tenant-acme', reason: 'Scoped to the tenant stack, not the platform (SEC-43).' },
        { rule: 'exposure.eks_public_endpoint', resource: 'aws_eks_cluster.cluster', stack: 'uae-prod-platform', reason: 'Public endpoint during the migration window (SEC-44).', expires: '2026-01-31' },
      ],
    };
    const report = await runPolicyGate({
      outdir,
      environment: { ...environment, today: '2026-02-01' },
      stacks: [
        { name: 'uae-prod-tenant-acme', kind: 'tenant', tenantId: 'acme' },
        { name: 'uae-prod-platform', kind: 'platform' },
      ],
    });
    expect(report.passed).toBe(false);
    expect(report.denies.map((f) => [f.stack, f.rule, f.address])).toEqual([
      ['uae-prod-platform', 'encryption.kms_rotation', 'aws_kms_key.platform'],
      ['uae-prod-platform', 'exposure.eks_public_endpoint', 'aws_eks_cluster.cluster'],
    ]);
    expect(report.excepted).toHaveLength(1);
    expect(report.excepted[0].exception_reason).toContain('SEC-42');
    expect(report.unusedExceptions.map((e) => e.resource)).toEqual(['aws_vpc.nothing', 'aws_kms_key.platform']);
    expect(report.exceptions.map((e) => [e.stack, e.resource, e.status])).toEqual([
      ['uae-prod-platform', 'aws_subnet.private_a', 'applied'],
      ['uae-prod-platform', 'aws_vpc.nothing', 'unused'],
      ['uae-prod-tenant-acme', 'aws_kms_key.platform', 'unused'],
      ['uae-prod-platform', 'aws_eks_cluster.cluster', 'expired'],
    ]);
    expect(report.stacks.map((s) => s.name)).toEqual(['uae-prod-platform', 'uae-prod-tenant-acme']);

    const summary = formatGateSummary(report);
    expect(summary).toContain('DENY exposure.eks_public_endpoint uae-prod-platform/aws_eks_cluster.cluster');
    expect(summary).toContain('Fix: Set vpc_config');
    expect(summary).toMatch(/policy gate FAILED: 2 denied, 1 excepted/);
    expect(summary).toContain('EXCEPTION EXPIRED exposure.eks_public_endpoint uae-prod-platform/aws_eks_cluster.cluster (expires 2026-01-31)');
    expect(summary).toContain('EXCEPTION APPLIED exposure.subnet_public_ip uae-prod-platform/aws_subnet.private_a');

    const json = JSON.parse(fs.readFileSync(path.join(outdir, 'policy-report.json'), 'utf8'));
    expect(json.passed).toBe(false);
    const md = fs.readFileSync(path.join(outdir, 'policy-report.md'), 'utf8');
    expect(md).toContain('**FAILED**');
    expect(md).toContain('SEC-42');
    expect(md).toContain('| uae-prod-tenant-acme | encryption.kms_rotation | `aws_kms_key.platform` | never | unused (0) |');
    const sarif = JSON.parse(fs.readFileSync(path.join(outdir, 'policy-report.sarif'), 'utf8'));
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].results).toHaveLength(3);
    expect(sarif.runs[0].results.filter((r: any) => r.suppressions)).toHaveLength(1);

    // Deterministic: the same input gives byte-identical reports.
    const first = fs.readFileSync(path.join(outdir, 'policy-report.json'), 'utf8');
    await runPolicyGate({ outdir, environment: { ...environment, today: '2026-02-01' }, stacks: [{ name: 'uae-prod-platform', kind: 'platform' }, { name: 'uae-prod-tenant-acme', kind: 'tenant', tenantId: 'acme' }] });
    expect(fs.readFileSync(path.join(outdir, 'policy-report.json'), 'utf8')).toBe(first);
  });

  test('gatePlanJson judges one saved plan (what the rollout calls before apply)', async () => {
    const plan = loadFixture('aws_plan');
    expect((await gatePlanJson(plan.input, plan.data)).passed).toBe(true);
    const broken = clone(plan.input) as any;
    broken.resource_changes.find((c: any) => c.type === 'aws_s3_bucket_public_access_block').change.after.block_public_acls = false;
    const report = await gatePlanJson({ plan: broken }, plan.data, { file: 'stacks/x/plan.json' });
    expect(report.denies.map((f) => [f.stack, f.rule])).toEqual([[plan.data.stack.name, 'exposure.s3_public_access_block']]);
    expect(report.stacks[0].file).toBe('stacks/x/plan.json');
  });

  test('a passing gate says so', async () => {
    const outdir = writeOutdir({ 'uae-prod-az-platform': loadFixture('azure_platform').input });
    const report = await runPolicyGate({
      outdir,
      environment: CONTRACT.environments.azure,
      stacks: [{ name: 'uae-prod-az-platform', kind: 'platform' }],
      writeReports: false,
    });
    expect(report.passed).toBe(true);
    expect(formatGateSummary(report)).toBe('policy gate passed: 0 denied, 0 excepted, 1 stack(s) of environment uae-prod-az');
  });

  test('an expiring exception applies up to its date, and not without a date', async () => {
    const platform = clone(loadFixture('aws_platform').input) as any;
    platform.resource.aws_kms_key.platform.enable_key_rotation = false;
    const outdir = writeOutdir({ 'uae-prod-platform': platform });
    const exceptions = [{ rule: 'encryption.kms_rotation', resource: 'aws_kms_key.platform', stack: 'uae-prod-platform', reason: 'HSM rotation until the cut-over (SEC-50).', expires: '2026-06-30' }];
    const run = (today?: string) =>
      runPolicyGate({ outdir, environment: { ...CONTRACT.environments.aws, exceptions, ...(today ? { today } : {}) }, stacks: [{ name: 'uae-prod-platform', kind: 'platform' }], writeReports: false });
    expect((await run('2026-06-30')).passed).toBe(true);
    expect((await run('2026-07-01')).exceptions[0].status).toBe('expired');
    expect((await run()).passed).toBe(false);
  });

  test('a missing stack file and a reason-less exception are clear errors', async () => {
    const outdir = writeOutdir({});
    await expect(
      runPolicyGate({ outdir, environment: CONTRACT.environments.aws, stacks: [{ name: 'nope', kind: 'platform' }] }),
    ).rejects.toThrow(/stack nope has no synthesized configuration/);
    await expect(
      runPolicyGate({
        outdir,
        environment: { ...CONTRACT.environments.aws, exceptions: [{ rule: 'tags.required', resource: 'x.y', stack: 's', reason: 'TODO: write the reason' }] },
        stacks: [],
      }),
    ).rejects.toThrow(/exceptions\[0\]\.reason: "todo" marks a placeholder/);
  });
});
