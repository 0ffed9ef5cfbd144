import { join } from 'path';
import { awsExampleInput, AWS_EXAMPLE, problemLines, REPO_ROOT, resourcesOf, synthExample } from '../helpers';
import { QDRANT_BACKUP_SCRIPT } from '../../lib/components/qdrant-backup-script';

/**
 * The Qdrant backup CronJob as synthesized: schedule and retention from the environment file, the cloud
 * CLI image from the mirror, the admin key by reference, a workload identity limited to `qdrant/`, the
 * staging volume on the encrypted class, and the network flows it needs (the script itself runs in
 * test/data/qdrant-backup-moto.test.ts).
 */

const stackOf = (stacks: Record<string, any>, suffix: string) => Object.entries(stacks).find(([name]) => name.endsWith(suffix))![1];
const cronJobOf = (workloads: any) => resourcesOf(workloads, 'kubernetes_cron_job_v1').map(([, c]) => c).find((c) => c.metadata.name === 'qdrant-backup');
const specOf = (workloads: any) => {
  const configMap = resourcesOf(workloads, 'kubernetes_config_map_v1').map(([, c]) => c).find((c) => c.metadata.name === 'qdrant-backup');
  return { spec: JSON.parse(configMap.data['backup.json']), script: configMap.data['qdrant-backup.py'] };
};

describe('AWS example', () => {
  const { stacks } = synthExample(AWS_EXAMPLE);
  const workloads = stackOf(stacks, '-workloads');
  const cronJob = cronJobOf(workloads);
  const pod = cronJob.spec.job_template.spec.template.spec;
  const container = pod.container[0];

  test('a daily CronJob in vectordb, one run at a time, UTC, the aws-cli image from the mirror', () => {
    expect(cronJob.metadata.namespace).toBe('vectordb');
    expect(cronJob.spec.schedule).toBe('30 1 * * *');
    expect(cronJob.spec.timezone).toBe('Etc/UTC');
    expect(cronJob.spec.concurrency_policy).toBe('Forbid');
    expect(container.image).toBe('111122223333.dkr.ecr.me-central-1.amazonaws.com/mirror/amazon/aws-cli:2.28.23');
    expect(container.command).toEqual(['python3', '/spec/qdrant-backup.py', '/spec/backup.json']);
    expect(container.args).toEqual(['backup']);
  });

  test('the admin key by reference, the storage from the platform, no credential in the pod', () => {
    expect(container.env).toContainEqual({ name: 'QDRANT_API_KEY', value_from: { secret_key_ref: { name: 'qdrant-api-key', key: 'api-key' } } });
    expect(container.env).toContainEqual({ name: 'OBJECT_STORAGE_KIND', value: 's3' });
    expect(container.env).toContainEqual({ name: 'OBJECT_STORAGE_ENDPOINT', value: 'me-central-1' });
    expect(JSON.stringify(container.env)).not.toMatch(/AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY/);
    expect(pod.service_account_name).toBe('qdrant-backup');
  });

  test('every peer of the StatefulSet by its pod DNS name, the prefix and the retention; the script is the module string', () => {
    const { spec, script } = specOf(workloads);
    expect(spec).toEqual({
      peers: [0, 1, 2].map((i) => ({ name: `qdrant-${i}`, url: `http://qdrant-${i}.qdrant-headless.vectordb.svc.cluster.local:6333` })),
      prefix: 'qdrant/',
      retentionDays: 14,
    });
    expect(script).toBe(QDRANT_BACKUP_SCRIPT);
  });

  test('the Pod Identity role reads, writes and deletes under qdrant/ only, with the storage CMK', () => {
    const [, policy] = resourcesOf(workloads, 'aws_iam_role_policy').find(([, p]) => p.name === 'qdrant-backup')!;
    const statements = JSON.parse(policy.policy).Statement;
    expect(statements[0]).toEqual({ Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], Resource: expect.stringMatching(/\/qdrant\/\*$/) });
    expect(statements[1].Condition).toEqual({ StringLike: { 's3:prefix': 'qdrant/*' } });
    expect(statements[2].Action).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
    const [, association] = resourcesOf(workloads, 'aws_eks_pod_identity_association').find(([, a]) => a.service_account === 'qdrant-backup')!;
    expect(association.namespace).toBe('vectordb');
    expect(JSON.stringify(cronJob.depends_on)).toContain('aws_eks_pod_identity_association');
  });

  test('snapshots are staged on a claim of the encrypted class as large as a peer volume', () => {
    const [, claim] = resourcesOf(workloads, 'kubernetes_persistent_volume_claim_v1').find(([, c]) => c.metadata.name === 'qdrant-backup-work')!;
    expect(claim.spec.storage_class_name).toBe('encrypted');
    expect(claim.wait_until_bound).toBe(false);
    expect(pod.volume).toContainEqual({ name: 'work', persistent_volume_claim: { claim_name: 'qdrant-backup-work' } });
  });

  test('network: to the peers on 6333 (and admitted), object storage on 443, the Pod Identity agent', () => {
    const policies = resourcesOf(stackOf(stacks, '-addons'), 'kubernetes_network_policy_v1').map(([, p]) => p.metadata.name);
    expect(policies).toEqual(
      expect.arrayContaining([
        'allow-qdrant-backup-to-qdrant-egress',
        'allow-qdrant-backup-to-qdrant-ingress',
        'allow-qdrant-backup-to-object-storage',
        'allow-qdrant-backup-to-workload-identity-agent',
      ]),
    );
  });
});

describe('Azure example', () => {
  const { stacks } = synthExample(join(REPO_ROOT, 'examples/gcc-uae-azure.yaml'));
  const workloads = stackOf(stacks, '-workloads');
  const pod = cronJobOf(workloads).spec.job_template.spec.template;

  test('the azure-cli image, the workload identity label and the Blob container', () => {
    expect(pod.spec.container[0].image).toMatch(/\/azure-cli:2\.67\.0$/);
    expect(pod.metadata.labels['azure.workload.identity/use']).toBe('true');
    expect(pod.spec.container[0].env).toContainEqual({ name: 'OBJECT_STORAGE_KIND', value: 'azure-blob' });
    const [, sa] = resourcesOf(workloads, 'kubernetes_service_account_v1').find(([, s]) => s.metadata.name === 'qdrant-backup')!;
    expect(Object.keys(sa.metadata.annotations)).toContain('azure.workload.identity/client-id');
  });
});

describe('environment file', () => {
  test('schedule and retention are configurable; a bad schedule names the field', () => {
    const input = awsExampleInput();
    input.components.qdrant = { ...(input.components.qdrant ?? {}), backup: { schedule: 'daily', retentionDays: 0 } };
    const problems = problemLines(input).join('\n');
    expect(problems).toMatch(/components\.qdrant\.backup\.schedule.*cron schedule of five fields/);
    expect(problems).toMatch(/components\.qdrant\.backup\.retentionDays/);
  });
});
