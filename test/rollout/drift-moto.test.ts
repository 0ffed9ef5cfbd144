/**
 * End-to-end drift check against a real Terraform and a real AWS provider, talking to moto (a local
 * fake of the AWS APIs) on 127.0.0.1. Nothing here is hand-written plan JSON: the stack is synthesized
 * with cdktf constructs, applied with terraform, changed out of band through moto's AWS API, and the
 * drift is found by the same code path as `npm run drift`.
 *
 * Needs: terraform on PATH and the hashicorp/aws 5.100.0 filesystem mirror (TF_PLUGIN_MIRROR, default
 * /opt/tf-plugins). Without them the suite is skipped with a loud warning. moto itself is installed by
 * scripts/ci/install-moto.sh (pinned, idempotent) and a missing moto is a failure, not a skip.
 */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, LocalBackend, TerraformStack } from 'cdktf';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { runCli } from '../../lib/rollout/cli';
import { DriftReport } from '../../lib/rollout/report';
import { freePort, waitForMoto } from '../moto';

const REPO = path.resolve(__dirname, '..', '..');
const MIRROR = process.env.TF_PLUGIN_MIRROR ?? '/opt/tf-plugins';
const AWS_PROVIDER_DIR = path.join(MIRROR, 'registry.terraform.io', 'hashicorp', 'aws', '5.100.0');
const ENV_NAME = 'drifttest';
const STACK = `${ENV_NAME}-platform`;
const BUCKET = 'drifttest-reports';
const REGION = 'me-central-1';

function terraformAvailable(): boolean {
  const probe = spawnSync('terraform', ['version'], { env: { ...process.env, CHECKPOINT_DISABLE: '1' }, encoding: 'utf8' });
  return probe.status === 0;
}

const missing: string[] = [];
if (!terraformAvailable()) missing.push('terraform is not on PATH');
if (!existsSync(AWS_PROVIDER_DIR)) missing.push(`the hashicorp/aws 5.100.0 provider mirror is not at ${AWS_PROVIDER_DIR}`);
if (missing.length > 0) {
  // Loud on purpose: a skipped end-to-end test must not look like a passing one in CI logs.
  console.warn(
    `\n${'!'.repeat(78)}\n!! SKIPPING test/rollout/drift-moto.test.ts: ${missing.join('; ')}.\n` +
      `!! The real drift check (terraform + moto) did NOT run.\n${'!'.repeat(78)}\n`,
  );
}
const describeIfTools = missing.length === 0 ? describe : describe.skip;

/** The product-shaped stack: real constructs, deep imports, local backend with a relative path. */
function synthesize(outdir: string): void {
  const app = new App({ outdir });
  const stack = new TerraformStack(app, STACK);
  new LocalBackend(stack, { path: 'terraform.tfstate' });
  new AwsProvider(stack, 'aws', { region: REGION });
  new KmsKey(stack, 'data-key', { description: 'drift test key', enableKeyRotation: true, deletionWindowInDays: 7 });
  new S3Bucket(stack, 'reports', { bucket: BUCKET, tags: { component: 'rollout-test', owner: 'platform' } });
  app.synth();
}

/**
 * Points the provider at moto. Test-only, as an override file next to cdk.tf.json: terraform merges
 * `*_override.tf.json` into the provider block, so the synthesized product configuration stays free of
 * mock credentials and skip flags.
 */
function writeMotoOverride(stackDir: string, endpoint: string): void {
  const override = {
    provider: {
      aws: {
        region: REGION,
        access_key: 'testing',
        secret_key: 'testing',
        skip_credentials_validation: true,
        skip_requesting_account_id: true,
        skip_metadata_api_check: true,
        s3_use_path_style: true,
        endpoints: { s3: endpoint, kms: endpoint, sts: endpoint, iam: endpoint },
      },
    },
  };
  writeFileSync(path.join(stackDir, 'moto_override.tf.json'), `${JSON.stringify(override, null, 2)}\n`);
}

describeIfTools('drift against moto (real terraform + hashicorp/aws 5.100.0)', () => {
  let work: string;
  let moto: ChildProcess | undefined;
  let motoLog = '';
  let endpoint: string;
  let venv: string;
  let env: NodeJS.ProcessEnv;

  async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = '';
    let stderr = '';
    const code = await runCli(args, {
      cwd: work,
      env,
      stdout: (t) => (stdout += t),
      stderr: (t) => (stderr += t),
      gate: async () => ({ passed: true, summary: 'gate not under test here' }),
      stdinIsTTY: false,
    });
    return { code, stdout, stderr };
  }

  function readDriftReport(): DriftReport {
    return JSON.parse(readFileSync(path.join(work, 'reports', 'drift-report.json'), 'utf8')) as DriftReport;
  }

  /** Changes the infrastructure behind terraform's back, through moto's AWS API (boto3 from the venv). */
  function changeOutOfBand(): void {
    const script = `
import os, boto3
kw = dict(endpoint_url=os.environ["MOTO_URL"], region_name="${REGION}", aws_access_key_id="testing", aws_secret_access_key="testing")
s3 = boto3.client("s3", **kw)
s3.put_bucket_tagging(Bucket="${BUCKET}", Tagging={"TagSet": [{"Key": "component", "Value": "rollout-test"}, {"Key": "owner", "Value": "someone-else"}]})
kms = boto3.client("kms", **kw)
for key in kms.list_keys()["Keys"]:
    kms.disable_key_rotation(KeyId=key["KeyId"])
    assert kms.get_key_rotation_status(KeyId=key["KeyId"])["KeyRotationEnabled"] is False
`;
    const res = spawnSync(path.join(venv, 'bin', 'python'), ['-c', script], {
      env: { PATH: process.env.PATH ?? '', MOTO_URL: endpoint, AWS_EC2_METADATA_DISABLED: 'true' },
      encoding: 'utf8',
    });
    if (res.status !== 0) throw new Error(`out-of-band change failed:\n${res.stderr}`);
  }

  /** `plan --plan-dir` then `deploy --plan-dir` of the saved plan, as the deploy workflow does. */
  async function planAndDeploy(what: string): Promise<void> {
    const common = ['--env-file', 'drifttest.yaml', '--out', 'reports', '--synth-dir', 'cdktf.out', '--plan-dir', 'plans'];
    const plan = await cli(['plan', ...common]);
    if (plan.code !== 0) throw new Error(`${what} plan failed (exit ${plan.code}):\n${plan.stderr.slice(-4000)}`);
    const deploy = await cli(['deploy', ...common]);
    if (deploy.code !== 0) throw new Error(`${what} deploy failed (exit ${deploy.code}):\n${deploy.stderr.slice(-4000)}`);
  }

  beforeAll(async () => {
    const install = spawnSync('bash', [path.join(REPO, 'scripts', 'ci', 'install-moto.sh')], { encoding: 'utf8', timeout: 540_000 });
    if (install.status !== 0) throw new Error(`scripts/ci/install-moto.sh failed (exit ${install.status}):\n${install.stderr}`);
    venv = install.stdout.trim().split('\n').pop() ?? '';

    const port = await freePort();
    endpoint = `http://127.0.0.1:${port}`;
    moto = spawn(path.join(venv, 'bin', 'moto_server'), ['-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
    moto.stdout?.on('data', (b: Buffer) => (motoLog = (motoLog + b.toString()).slice(-4000)));
    moto.stderr?.on('data', (b: Buffer) => (motoLog = (motoLog + b.toString()).slice(-4000)));
    await waitForMoto(endpoint, moto, () => motoLog);

    work = mkdtempSync(path.join(os.tmpdir(), 'rollout-drift-'));
    const cliConfig = path.join(work, 'terraform.rc');
    writeFileSync(
      cliConfig,
      [
        'disable_checkpoint = true',
        'provider_installation {',
        `  filesystem_mirror {\n    path    = ${JSON.stringify(MIRROR)}\n    include = ["registry.terraform.io/hashicorp/aws"]\n  }`,
        '  direct {\n    exclude = ["registry.terraform.io/hashicorp/aws"]\n  }',
        '}',
        '',
      ].join('\n'),
    );
    env = {
      PATH: process.env.PATH ?? '',
      HOME: work,
      TF_CLI_CONFIG_FILE: cliConfig,
      CHECKPOINT_DISABLE: '1',
      // Nothing from the developer's own AWS setup may leak into the test.
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_CONFIG_FILE: path.join(work, 'no-aws-config'),
      AWS_SHARED_CREDENTIALS_FILE: path.join(work, 'no-aws-credentials'),
    };
    writeFileSync(path.join(work, 'drifttest.yaml'), `name: ${ENV_NAME}\n`);

    synthesize(path.join(work, 'cdktf.out'));
    const stackDir = path.join(work, 'cdktf.out', 'stacks', STACK);
    const synthesized = readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8');
    // The product config itself must carry no mock settings and no absolute state path.
    expect(synthesized).not.toMatch(/skip_credentials_validation|access_key|127\.0\.0\.1/);
    expect(JSON.parse(synthesized).terraform.backend.local.path).toBe('terraform.tfstate');
    writeMotoOverride(stackDir, endpoint);

    // Initial apply through the rollout's own path: plan saved, then that plan applied (gate says yes here).
    await planAndDeploy('initial');
  }, 600_000);

  afterAll(async () => {
    if (moto && moto.exitCode === null && moto.signalCode === null) {
      const exited = new Promise<void>((resolve) => moto?.once('exit', () => resolve()));
      moto.kill('SIGTERM');
      const timer = setTimeout(() => moto?.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    if (work) rmSync(work, { recursive: true, force: true });
  }, 30_000);

  it('reports in sync (exit 0) right after an apply', async () => {
    const res = await cli(['drift', '--env-file', 'drifttest.yaml', '--out', 'reports', '--synth-dir', 'cdktf.out']);
    expect(res.stderr).not.toMatch(/rollout: internal error/);
    expect(res.code).toBe(0);
    const report = readDriftReport();
    expect(report.stacks).toEqual([{ stack: STACK, status: 'in-sync', resources: [], outputs: [] }]);
  }, 300_000);

  it('finds an out-of-band tag change and disabled key rotation (exit 2)', async () => {
    changeOutOfBand();
    const res = await cli(['drift', '--env-file', 'drifttest.yaml', '--out', 'reports', '--synth-dir', 'cdktf.out', '--stacks', 'platform']);
    expect(res.code).toBe(2);

    const report = readDriftReport();
    expect(report.exitCode).toBe(2);
    expect(report.environment).toBe(ENV_NAME);
    expect(report.summary).toEqual({ stacks: 1, inSync: 0, drifted: 1, error: 0 });
    const [stack] = report.stacks;
    expect(stack.stack).toBe(STACK);
    expect(stack.status).toBe('drifted');
    const byAddress = Object.fromEntries(stack.resources.map((r) => [r.address, r]));
    expect(Object.keys(byAddress).sort()).toEqual(['aws_kms_key.data-key', 'aws_s3_bucket.reports']);
    expect(byAddress['aws_kms_key.data-key'].changedAttributes).toContain('enable_key_rotation');
    expect(byAddress['aws_s3_bucket.reports'].changedAttributes).toEqual(expect.arrayContaining(['tags', 'tags_all']));
    expect(byAddress['aws_s3_bucket.reports'].actions).toEqual(['update']);

    const markdown = readFileSync(path.join(work, 'reports', 'drift-report.md'), 'utf8');
    expect(markdown).toBe(res.stdout);
    expect(markdown).toContain(`## ${STACK}: drifted`);
    expect(markdown).toContain('`aws_s3_bucket.reports`');
    // Values never reach the report (plan JSON carries secrets in clear text).
    expect(markdown).not.toContain('someone-else');
    expect(readFileSync(path.join(work, 'reports', 'drift-report.json'), 'utf8')).not.toContain('someone-else');
  }, 300_000);

  it('is back in sync (exit 0) after re-applying', async () => {
    await planAndDeploy('re-apply');
    const res = await cli(['drift', '--env-file', 'drifttest.yaml', '--out', 'reports', '--synth-dir', 'cdktf.out']);
    expect(res.code).toBe(0);
    expect(readDriftReport().summary).toEqual({ stacks: 1, inSync: 1, drifted: 0, error: 0 });
  }, 300_000);
});
