import { join } from 'path';
import { awsExampleInput, AWS_EXAMPLE, problemLines, REPO_ROOT, resourcesOf, synthExample } from '../helpers';
import { CLICKHOUSE_DUMP_SCRIPT, CLICKHOUSE_STORE_SCRIPT } from '../../lib/components/clickhouse-backup-script';

/**
 * The ClickHouse backup and restore CronJobs as synthesized: schedule, retention and staging size from the
 * environment file, the pinned clickhouse-server image (its clickhouse-client) for the dump/load and the
 * cloud CLI image for the object storage, both from the mirror, the ClickHouse password by reference, a
 * workload identity limited to `clickhouse/`, and the flows they need (the scripts themselves run against a
 * real server in test/data/clickhouse-backup-moto.test.ts).
 */

const stackOf = (stacks: Record<string, any>, suffix: string) => Object.entries(stacks).find(([name]) => name.endsWith(suffix))![1];
const cronJobOf = (workloads: any, name: string) => resourcesOf(workloads, 'kubernetes_cron_job_v1').map(([, c]) => c).find((c) => c.metadata.name === name);

describe('AWS example', () => {
  const { stacks } = synthExample(AWS_EXAMPLE);
  const workloads = stackOf(stacks, '-workloads');
  const cronJob = cronJobOf(workloads, 'clickhouse-backup');
  const pod = cronJob.spec.job_template.spec.template.spec;
  const [dump] = pod.init_container;
  const [upload] = pod.container;

  test('a daily CronJob in observability, one run at a time: dump with clickhouse-client, then upload with the aws CLI', () => {
    expect(cronJob.metadata.namespace).toBe('observability');
    expect(cronJob.spec.schedule).toBe('0 2 * * *');
    expect(cronJob.spec.timezone).toBe('Etc/UTC');
    expect(cronJob.spec.concurrency_policy).toBe('Forbid');
    expect(dump.image).toBe('111122223333.dkr.ecr.me-central-1.amazonaws.com/mirror/clickhouse/clickhouse-server:26.4');
    expect(dump.command).toEqual(['sh', '/spec/clickhouse-backup.sh', 'dump']);
    expect(upload.image).toBe('111122223333.dkr.ecr.me-central-1.amazonaws.com/mirror/amazon/aws-cli:2.28.23');
    expect(upload.command).toEqual(['python3', '/spec/clickhouse-store.py', '/spec/backup.json']);
    expect(upload.args).toEqual(['backup']);
    // The evidence pack attributes it to the ClickHouse servers' volumes only (not Keeper's, not Valkey's).
    expect(cronJob.metadata.annotations['rag.platform/backup-of']).toBe('langfuse#clickhouse.cluster.storage');
  });

  test("the chart's ClickHouse Service on the native port, the password by reference, no cloud credential in the pod", () => {
    expect(dump.env).toEqual(
      expect.arrayContaining([
        { name: 'CLICKHOUSE_HOST', value: 'langfuse-clickhouse-headless.observability.svc.cluster.local' },
        { name: 'CLICKHOUSE_PORT', value: '9000' },
        { name: 'CLICKHOUSE_USER', value: 'default' },
        { name: 'CLICKHOUSE_PASSWORD', value_from: { secret_key_ref: { name: 'langfuse-clickhouse-auth', key: 'password' } } },
      ]),
    );
    expect(upload.env).toContainEqual({ name: 'OBJECT_STORAGE_KIND', value: 's3' });
    expect(JSON.stringify(pod)).not.toMatch(/AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY/);
    expect(pod.service_account_name).toBe('clickhouse-backup');
  });

  test('the scripts are the module strings; prefix and retention in the spec', () => {
    const configMap = resourcesOf(workloads, 'kubernetes_config_map_v1').map(([, c]) => c).find((c) => c.metadata.name === 'clickhouse-backup');
    expect(configMap.data['clickhouse-backup.sh']).toBe(CLICKHOUSE_DUMP_SCRIPT);
    expect(configMap.data['clickhouse-store.py']).toBe(CLICKHOUSE_STORE_SCRIPT);
    expect(JSON.parse(configMap.data['backup.json'])).toEqual({ prefix: 'clickhouse/', retentionDays: 14 });
  });

  test('the restore CronJob is suspended and runs download, then load, with the same identity and volume', () => {
    const restore = cronJobOf(workloads, 'clickhouse-restore');
    const spec = restore.spec.job_template.spec.template.spec;
    expect(restore.spec.suspend).toBe(true);
    expect(spec.init_container[0].args).toEqual(['download', 'latest']);
    expect(spec.container[0].command).toEqual(['sh', '/spec/clickhouse-backup.sh', 'load']);
    expect(spec.service_account_name).toBe('clickhouse-backup');
    expect(spec.volume).toEqual(pod.volume);
  });

  test('the Pod Identity role reads, writes and deletes under clickhouse/ only; staging on the encrypted class', () => {
    const [, policy] = resourcesOf(workloads, 'aws_iam_role_policy').find(([, p]) => p.name === 'clickhouse-backup')!;
    const statements = JSON.parse(policy.policy).Statement;
    expect(statements[0]).toEqual({ Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], Resource: expect.stringMatching(/\/clickhouse\/\*$/) });
    const [, association] = resourcesOf(workloads, 'aws_eks_pod_identity_association').find(([, a]) => a.service_account === 'clickhouse-backup')!;
    expect(association.namespace).toBe('observability');
    const [, claim] = resourcesOf(workloads, 'kubernetes_persistent_volume_claim_v1').find(([, c]) => c.metadata.name === 'clickhouse-backup-work')!;
    expect(claim.spec.storage_class_name).toBe('encrypted');
    expect(claim.spec.resources.requests.storage).toBe('100Gi');
  });

  test('network: object storage on 443 and the Pod Identity agent (ClickHouse through the namespace flow)', () => {
    const policies = resourcesOf(stackOf(stacks, '-addons'), 'kubernetes_network_policy_v1').map(([, p]) => p.metadata.name);
    expect(policies).toEqual(expect.arrayContaining(['allow-clickhouse-backup-to-object-storage', 'allow-clickhouse-backup-to-workload-identity-agent']));
  });
});

describe('Azure example', () => {
  const { stacks } = synthExample(join(REPO_ROOT, 'examples/gcc-uae-azure.yaml'));
  const pod = cronJobOf(stackOf(stacks, '-workloads'), 'clickhouse-backup').spec.job_template.spec.template;

  test('the azure-cli image and the workload identity label', () => {
    expect(pod.spec.container[0].image).toMatch(/\/azure-cli:2\.67\.0$/);
    expect(pod.metadata.labels['azure.workload.identity/use']).toBe('true');
  });
});

describe('environment file', () => {
  test('schedule, retention and staging size are configurable; a bad schedule names the field', () => {
    const input = awsExampleInput();
    input.components.langfuse = { ...(input.components.langfuse ?? {}), clickhouseBackup: { schedule: 'daily', retentionDays: 0, workGi: 1 } };
    const problems = problemLines(input).join('\n');
    expect(problems).toMatch(/components\.langfuse\.clickhouseBackup\.schedule.*cron schedule of five fields/);
    expect(problems).toMatch(/components\.langfuse\.clickhouseBackup\.retentionDays/);
    expect(problems).toMatch(/components\.langfuse\.clickhouseBackup\.workGi/);
  });
});
