import { validateEnvironment } from '../../lib/config/load';
import { stateStores } from '../../lib/report/data-stores';
import { describeKey } from '../../lib/report/keys';
import { modelsOf } from '../../lib/report/models';
import { StackSet } from '../../lib/report/stacks';
import { inClusterVolumes } from '../../lib/report/volumes';
import { awsExampleInput } from '../helpers';

const BACKEND = { bucket: 'state-bucket', key: 'env/platform.tfstate', region: 'me-central-1', encrypt: true, kms_key_id: 'arn:aws:kms:me-central-1:111122223333:alias/env/tfstate' };

/** Two stacks wired the way cdktf wires a cross-stack reference: output in one, remote state in the other. */
const platform = {
  name: 'env-platform',
  doc: {
    terraform: { backend: { s3: { ...BACKEND, use_lockfile: true } } },
    provider: { aws: [{ region: 'me-central-1' }] },
    resource: {
      aws_kms_key: { ebs: { enable_key_rotation: true, rotation_period_in_days: 180 }, state: { enable_key_rotation: false } },
      aws_kms_alias: { ebs: { name: 'alias/env/ebs', target_key_id: '${aws_kms_key.ebs.key_id}' }, state: { name: 'alias/env/tfstate', target_key_id: '${aws_kms_key.state.key_id}' } },
    },
    data: { aws_kms_alias: { 'ebs-read-back': { name: 'alias/env/ebs' } } },
    output: { 'cross-stack-output-ebs-arn': { value: '${aws_kms_key.ebs.arn}', sensitive: true } },
  },
};
const workloads = {
  name: 'env-workloads',
  doc: {
    terraform: { backend: { s3: { ...BACKEND, key: 'env/workloads.tfstate' } } },
    data: { terraform_remote_state: { 'cross-stack-reference-input-env-platform': { backend: 's3', config: BACKEND, workspace: '${terraform.workspace}' } } },
    provider: { aws: [{ region: 'me-central-1' }] },
    resource: {
      aws_eks_cluster: { cluster: { name: 'env' } },
      kubernetes_storage_class_v1: {
        encrypted: {
          metadata: { name: 'encrypted', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
          parameters: { kmsKeyId: '${data.terraform_remote_state.cross-stack-reference-input-env-platform.outputs.cross-stack-output-ebs-arn}' },
        },
      },
      kubernetes_manifest: {
        pg: {
          manifest: {
            apiVersion: 'postgresql.cnpg.io/v1',
            kind: 'Cluster',
            metadata: { name: 'litellm-pg', namespace: 'data' },
            spec: { instances: 3, storage: { storageClass: 'encrypted', size: '50Gi' }, backup: { retentionPolicy: '30d', barmanObjectStore: { destinationPath: 's3://env-backups/litellm-pg' } } },
          },
        },
        nightly: { manifest: { apiVersion: 'postgresql.cnpg.io/v1', kind: 'ScheduledBackup', metadata: { name: 'nightly' }, spec: { schedule: '0 0 2 * * *', cluster: { name: 'litellm-pg' } } } },
      },
      kubernetes_persistent_volume_claim_v1: { scratch: { metadata: { name: 'qdrant-snapshots', namespace: 'vectordb' }, spec: { resources: { requests: { storage: '10Gi' } } } } },
      helm_release: { redis: { name: 'cache', namespace: 'data', values: ['replica:\n  persistence:\n    enabled: true\n    size: 8Gi\nunrelated:\n  size: 3Gi\n'] } },
    },
  },
};
const set = new StackSet([platform, workloads]);

describe('key resolution across stacks', () => {
  test('a remote-state output is followed to the other stack and on to the key, with its alias and rotation', () => {
    const key = describeKey(set, 'env-workloads', workloads.doc.resource.kubernetes_storage_class_v1.encrypted.parameters.kmsKeyId);
    expect(key).toMatchObject({ kind: 'customer-managed', stack: 'env-platform', address: 'aws_kms_key.ebs', name: 'alias/env/ebs', region: 'me-central-1', rotation: 'every 180 days' });
  });

  test('a KMS alias ARN (the state backend) resolves to the aliased key; a key without rotation says none', () => {
    expect(describeKey(set, 'env-workloads', BACKEND.kms_key_id)).toMatchObject({ stack: 'env-platform', address: 'aws_kms_key.state', rotation: 'none' });
    expect(describeKey(set, 'env-workloads', 'arn:aws:kms:me-central-1:1:key/abc')).toMatchObject({ kind: 'unresolved' });
    expect(describeKey(set, 'env-workloads', undefined)).toMatchObject({ kind: 'provider-managed' });
  });

  test('a data source reading back a resource we define resolves to that resource', () => {
    expect(describeKey(set, 'env-platform', '${data.aws_kms_alias.ebs-read-back.target_key_arn}')).toMatchObject({ stack: 'env-platform', address: 'aws_kms_key.ebs' });
  });

  test('each stack state is listed with the backend key', () => {
    expect(stateStores(set).map((store) => [store.stack, store.address, store.key.address])).toEqual([
      ['env-platform', 'terraform.backend.s3', 'aws_kms_key.state'],
      ['env-workloads', 'terraform.backend.s3', 'aws_kms_key.state'],
    ]);
  });
});

describe('in-cluster volumes', () => {
  const volumes = inClusterVolumes(set);

  test('a CloudNativePG cluster: volume, key through the StorageClass, backup destination, schedule and retention', () => {
    const pg = volumes.find((volume) => volume.address.startsWith('kubernetes_manifest.pg#'))!;
    expect(pg).toMatchObject({ holds: 'Postgres volume (50Gi per replica)', region: 'me-central-1', reachability: 'in-cluster only (namespace data)' });
    expect(pg.key).toMatchObject({ stack: 'env-platform', address: 'aws_kms_key.ebs' });
    expect(pg.backup).toEqual({ destination: 's3://env-backups/litellm-pg', region: 'me-central-1', schedule: '0 0 2 * * *', retention: '30d' });
  });

  test('a PVC and a release without a class bind to the default StorageClass; sizes outside persistence blocks are not volumes', () => {
    expect(volumes.find((volume) => volume.address.startsWith('kubernetes_persistent_volume_claim_v1.scratch'))).toMatchObject({ holds: 'Qdrant volume (10Gi per replica)', key: { address: 'aws_kms_key.ebs' } });
    const release = volumes.filter((volume) => volume.address.startsWith('helm_release.redis#'));
    expect(release.map((volume) => [volume.address, volume.holds])).toEqual([['helm_release.redis#replica.persistence', 'persistent volume (8Gi per replica)']]);
  });
});

describe('models and agreements', () => {
  test('a fallback outside the home regions names the agreement that permits it, in chain order', () => {
    const input = awsExampleInput();
    input.sovereignty = { profile: 'gcc', dataSharingAgreements: [{ id: 'dsa-qa-2026', countries: ['QA'], reference: 'Legal register LR-2026-014, signed 2026-03-01' }] };
    input.llm.models.push({ name: 'gpt-4o-doha', provider: 'azure-openai', region: 'qatarcentral', model: 'gpt-4o', endpoint: 'https://doha-openai.openai.azure.com' });
    input.llm.fallbacks = [{ model: 'gpt-4o', to: ['claude-sonnet', 'gpt-4o-doha'] }];
    const models = modelsOf(validateEnvironment(input, 'env.yaml'));
    expect(models.map((model) => [model.purpose, model.name, model.region, model.fallbackOrder, model.inHomeRegions, model.agreement])).toEqual([
      ['embedding', 'tei', 'me-central-1', 1, true, null],
      ['generation', 'gpt-4o', 'uaenorth', 1, true, null],
      ['generation', 'claude-sonnet', 'me-central-1', 2, true, null],
      ['generation', 'gpt-4o-doha', 'qatarcentral', 3, false, 'dsa-qa-2026: Legal register LR-2026-014, signed 2026-03-01'],
    ]);
  });
});
