import { AWS_EXAMPLE, resourcesOf, synthExample } from '../helpers';
import { AZURE_EXAMPLE, byPath } from '../azure/helpers';
import { teiModelArtifacts, teiModelPrefix } from '../../lib/components/tei-model';

/**
 * TEI's model comes from the platform's object storage: an init container copies the staged revision with
 * the pod's workload identity (read-only on that prefix) into the pod's own volume; TEI starts offline on it.
 */

const MODEL = 'BAAI/bge-m3';
const REVISION = '5617a9f61b028005a4858fdac845db406aefb181';
const PREFIX = `models/${MODEL}/${REVISION}/`;

const workloadsOf = (stacks: Record<string, any>) => Object.entries(stacks).find(([name]) => name.endsWith('-workloads'))![1];
const teiValues = (workloads: any) => {
  const [, release] = resourcesOf(workloads, 'helm_release').find(([, r]) => r.name === 'tei')!;
  return JSON.parse(release.values[0]);
};

test('the staging layout: models/<model-id>/<revision>/ with the files TEI reads', () => {
  expect(teiModelPrefix(MODEL, REVISION)).toBe(PREFIX);
  expect(teiModelArtifacts({ modelId: MODEL, revision: REVISION })).toEqual([
    {
      source: { repository: `https://huggingface.co/${MODEL}`, revision: REVISION },
      prefix: PREFIX,
      requiredFiles: ['config.json', 'tokenizer.json', 'model.safetensors'],
    },
  ]);
});

describe('AWS: S3 copy with Pod Identity', () => {
  const { stacks } = synthExample(AWS_EXAMPLE);
  const workloads = workloadsOf(stacks);
  // Network policies live with the namespaces in `<env>-addons`.
  const addons = Object.entries(stacks).find(([name]) => name.endsWith('-addons'))![1];
  const v = teiValues(workloads);

  test('no claim; init container with the aws CLI from the mirror copies the prefix; TEI loads the local path offline', () => {
    expect(v.model.cacheVolume.existingClaim).toBe('');
    expect(v.model.offline).toBe(true);
    expect(v.model.path).toBe(PREFIX);
    expect(v.model.initContainer.enabled).toBe(true);
    expect(v.model.initContainer.image).toEqual({ registry: '111122223333.dkr.ecr.me-central-1.amazonaws.com/mirror', repository: 'amazon/aws-cli', tag: '2.28.23' });
    const command: string[] = v.model.initContainer.command;
    expect(command.slice(0, 4)).toEqual(['aws', 's3', 'cp', '--recursive']);
    expect(command).toContain('me-central-1');
    expect(command[command.length - 2]).toMatch(new RegExp(`^s3://\\$\\{.*\\}/${PREFIX.replace(/\./g, '\\.')}$`));
    expect(command[command.length - 1]).toBe(`/data/${PREFIX}`);
    expect(v.model.initContainer.env).toEqual([{ name: 'HOME', value: '/tmp' }]);
    expect(v.serviceAccount).toEqual({ create: true, name: 'tei', annotations: {} });
  });

  test('L4 pool: the full pool selector (the chart merges it), the L4 build of TEI, no duplicate GPU toleration', () => {
    expect(v.gpu.family).toBe('L4');
    expect(v.nodeSelector).toEqual({ 'rag.platform/pool': 'gpu', 'node.kubernetes.io/gpu-family': 'L4' });
    expect(v.tolerations).toEqual([]);
    expect(v.image.tag).toBe('89-1.9');
  });

  test('the identity may only list and read the model prefix, and decrypt through S3', () => {
    const association = resourcesOf(workloads, 'aws_eks_pod_identity_association').map(([, a]) => a).find((a) => a.service_account === 'tei')!;
    expect(association.namespace).toBe('embeddings');
    const [, policy] = resourcesOf(workloads, 'aws_iam_role_policy').find(([, p]) => p.name === 'tei-model-reader')!;
    const statements = JSON.parse(policy.policy).Statement;
    const actions = statements.flatMap((s: any) => [s.Action].flat());
    expect(actions.sort()).toEqual(['kms:Decrypt', 's3:GetObject', 's3:ListBucket']);
    const get = statements.find((s: any) => s.Action === 's3:GetObject');
    expect(get.Resource).toEqual([expect.stringMatching(new RegExp(`/${PREFIX.replace(/\./g, '\\.')}\\*$`))]);
    const list = statements.find((s: any) => s.Action === 's3:ListBucket');
    expect(list.Condition).toEqual({ StringLike: { 's3:prefix': [`${PREFIX}*`] } });
    expect(statements.find((s: any) => s.Action === 'kms:Decrypt').Condition).toEqual({ StringEquals: { 'kms:ViaService': 's3.me-central-1.amazonaws.com' } });
  });

  test('embeddings may reach object storage over HTTPS and the Pod Identity agent, nothing else outside', () => {
    const egress = resourcesOf(addons, 'kubernetes_network_policy_v1')
      .map(([, p]) => p)
      .filter((p) => p.metadata.namespace === 'embeddings' && p.metadata.name.startsWith('allow-tei-to-'));
    const rules = Object.fromEntries(egress.map((p) => [p.metadata.name, p.spec.egress]));
    expect(rules['allow-tei-to-object-storage']).toEqual([{ to: [{ ip_block: { cidr: '0.0.0.0/0' } }], ports: [{ port: '443', protocol: 'TCP' }] }]);
    expect(rules['allow-tei-to-workload-identity-agent']).toEqual([
      { to: [{ ip_block: { cidr: '169.254.170.23/32' } }, { ip_block: { cidr: 'fd00:ec2::23/128' } }], ports: [{ port: '80', protocol: 'TCP' }] },
    ]);
  });
});

describe('Azure: Blob copy with Entra workload identity', () => {
  const workloads = workloadsOf(synthExample(AZURE_EXAMPLE).stacks);
  const v = teiValues(workloads);

  test('azure CLI from the mirror logs in with the federated token and downloads the prefix; T4 build', () => {
    expect(v.model.initContainer.image.repository).toBe('azure-cli');
    const [shell, flags, script] = v.model.initContainer.command;
    expect([shell, flags]).toEqual(['/bin/sh', '-ec']);
    expect(script).toContain('--federated-token "$(cat "$AZURE_FEDERATED_TOKEN_FILE")"');
    expect(script).toContain(`--pattern "${PREFIX}*" --destination "/data"`);
    expect(script).toContain('--auth-mode login');
    expect(v.model.initContainer.env).toEqual(expect.arrayContaining([{ name: 'AZURE_CONFIG_DIR', value: '/tmp/.azure' }]));
    expect(v.podLabels).toEqual({ 'azure.workload.identity/use': 'true' });
    expect(Object.keys(v.serviceAccount.annotations)).toEqual(['azure.workload.identity/client-id', 'azure.workload.identity/tenant-id']);
    expect(v.gpu.family).toBe('T4');
    expect(v.image.tag).toBe('turing-1.9');
  });

  test('Storage Blob Data Reader on the platform container, narrowed to the prefix by an ABAC condition', () => {
    const reader = byPath(workloads, 'azurerm_role_assignment', 'identity-tei-model-reader/blob-data-reader');
    expect(reader.role_definition_name).toBe('Storage Blob Data Reader');
    expect(reader.condition_version).toBe('2.0');
    expect(reader.condition).toContain(`@Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs:path] StringStartsWith '${PREFIX}'`);
    expect(reader.condition).toContain(`@Request[Microsoft.Storage/storageAccounts/blobServices/containers/blobs:prefix] StringStartsWith '${PREFIX}'`);
    const grants = resourcesOf(workloads, 'azurerm_role_assignment').filter(([, a]) => String(a['//']?.metadata?.path).includes('identity-tei-model-reader/'));
    expect(grants).toHaveLength(1);
  });
});
