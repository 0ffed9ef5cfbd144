import { mkdtempSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { TerraformStack } from 'cdktf';
import { buildEnvironment } from '../../apps/build';
import { loadEnvironment } from '../../lib/config/load';
import { POOL_LABEL, SYSTEM_POOL_TAINT } from '../../lib/cluster/pools';
import { AKS_AAD_SERVER_ID } from '../../lib/azure/aks-cluster-info';
import { resourcesOf } from '../helpers';
import { AZURE_EXAMPLE, CORE42_EXAMPLE } from './helpers';

function build(file: string) {
  const outdir = mkdtempSync(join(tmpdir(), 'aks-info-'));
  const built = buildEnvironment(loadEnvironment(file), outdir);
  return { outdir, built, info: built.platform.clusterInfo };
}

describe('AksClusterInfo', () => {
  const { outdir, built, info } = build(AZURE_EXAMPLE);
  const probe = new TerraformStack(built.app, 'probe');
  info.addCloudProvider(probe);
  const binding = info.bindWorkloadIdentity(probe, {
    id: 'probe-workload',
    namespace: 'rag-platform',
    serviceAccount: 'orchestrator',
    readSecretPrefixes: ['rag-uae-prod-azure-orchestrator-'],
    objectStoragePrefix: 'orchestrator/',
  });
  const narrow = info.bindWorkloadIdentity(probe, { id: 'no-grants', namespace: 'embeddings', serviceAccount: 'tei' });
  built.app.synth();
  const probeJson = JSON.parse(readFileSync(join(outdir, 'stacks/probe/cdk.tf.json'), 'utf8'));

  it('reaches the API with kubelogin (exec plugin, no token in the configuration)', () => {
    expect(info.access.exec).toEqual({
      apiVersion: 'client.authentication.k8s.io/v1beta1',
      command: 'kubelogin',
      args: ['get-token', '--login', 'azurecli', '--server-id', AKS_AAD_SERVER_ID],
    });
    expect(AKS_AAD_SERVER_ID).toBe('6dae42f8-4368-4678-94ff-3960e28e3630');
  });

  it('defines an Azure Disk storage class encrypted with the disk encryption set, zone-redundant where zones exist', () => {
    expect(info.storageClass.provisioner).toBe('disk.csi.azure.com');
    expect(info.storageClass.parameters).toMatchObject({
      skuName: 'Premium_ZRS',
      diskEncryptionType: 'EncryptionAtRestWithCustomerKey',
      networkAccessPolicy: 'DenyAll',
      publicNetworkAccess: 'Disabled',
    });
    expect(info.storageClass.parameters.diskEncryptionSetID).toEqual(expect.stringContaining('TfToken'));
    expect(build(CORE42_EXAMPLE).info.storageClass.parameters.skuName).toBe('Premium_LRS');
  });

  it('places pods with the same selectors and tolerations as EKS', () => {
    expect(info.pools.system).toEqual({ nodeSelector: { [POOL_LABEL]: 'system' }, tolerations: [{ ...SYSTEM_POOL_TAINT, operator: 'Equal' }] });
    expect(info.pools.general).toEqual({ nodeSelector: { [POOL_LABEL]: 'general' }, tolerations: [] });
    expect(info.pools.gpu).toEqual({
      nodeSelector: { [POOL_LABEL]: 'gpu', 'node.kubernetes.io/gpu-family': 'T4' },
      tolerations: [{ key: 'nvidia.com/gpu', operator: 'Equal', value: 'present', effect: 'NoSchedule' }],
      family: 'T4',
      driverPreinstalled: true,
    });
  });

  it('reads secrets from Key Vault through workload identity and stores objects in Blob', () => {
    expect(info.secretStore.kind).toBe('azure-key-vault');
    expect(info.secretStore.separator).toBe('-');
    expect(info.secretStore.provider).toEqual({
      azurekv: { authType: 'WorkloadIdentity', vaultUrl: expect.any(String), tenantId: '99999999-8888-4777-8666-555555555555' },
    });
    expect(info.objectStorage).toMatchObject({ bucket: 'platform', endpoint: expect.any(String), kind: 'azure-blob' });
    expect(info.objectStorage.downloadPrefix('models/m/', '/data').image).toBe('azure-cli');
    expect(info.imageMirror).toBe('uaeprodazureplatform.azurecr.io/mirror');
    expect(info.chartMirror).toBe('oci://uaeprodazureplatform.azurecr.io/charts');
    expect(info.internalLoadBalancerAnnotations).toEqual({ 'service.beta.kubernetes.io/azure-load-balancer-internal': 'true' });
    expect(info.apiServerCidrs).toEqual(['10.50.144.0/28']);
  });

  it('binds a workload to a federated user-assigned identity and returns the pod-side annotations and label', () => {
    expect(binding.serviceAccountAnnotations).toEqual({
      'azure.workload.identity/client-id': expect.any(String),
      'azure.workload.identity/tenant-id': '99999999-8888-4777-8666-555555555555',
    });
    expect(binding.podLabels).toEqual({ 'azure.workload.identity/use': 'true' });
    expect(narrow.podLabels).toEqual({ 'azure.workload.identity/use': 'true' });
    expect(probeJson.provider.azurerm[0].subscription_id).toBe('11111111-2222-4333-8444-555555555555');
    const identities = resourcesOf(probeJson, 'azurerm_user_assigned_identity').map(([, value]) => value.name).sort();
    expect(identities).toEqual(['uae-prod-azure-no-grants', 'uae-prod-azure-probe-workload']);
    const federations = resourcesOf(probeJson, 'azurerm_federated_identity_credential').map(([, value]) => value);
    const federation = federations.find((f) => f.name === 'rag-platform-orchestrator');
    expect(federation).toMatchObject({ audience: ['api://AzureADTokenExchange'], subject: 'system:serviceaccount:rag-platform:orchestrator' });
    // The issuer is the platform cluster's, read across stacks.
    expect(federation.issuer).toMatch(/data\.terraform_remote_state\..*oidc_issuer_url|cross-stack-output.*oidc/i);
  });

  it('grants only what the request asks for: secrets user on the vault, blob contributor on the container', () => {
    const grants = resourcesOf(probeJson, 'azurerm_role_assignment').map(([, value]) => value);
    expect(grants.map((g) => g.role_definition_name).sort()).toEqual(['Key Vault Secrets User', 'Storage Blob Data Contributor']);
    for (const grant of grants) {
      expect(grant.principal_id).toMatch(/probe-workload/);
      expect(grant.scope).toMatch(/remote_state/);
    }
    expect(resourcesOf(probeJson, 'azurerm_key_vault')).toHaveLength(0);
  });

  it('confines the blob contributor to its own prefix with an ABAC condition (every blob action and listing)', () => {
    const contributor = resourcesOf(probeJson, 'azurerm_role_assignment')
      .map(([, value]) => value)
      .find((g) => g.role_definition_name === 'Storage Blob Data Contributor');
    expect(contributor.condition_version).toBe('2.0');
    const blobs = 'Microsoft.Storage/storageAccounts/blobServices/containers/blobs';
    for (const action of ['write', 'add/action', 'delete', 'move/action']) {
      expect(contributor.condition).toContain(`!(ActionMatches{'${blobs}/${action}'})`);
    }
    expect(contributor.condition).toContain(`@Resource[${blobs}:path] StringStartsWith 'orchestrator/'`);
    expect(contributor.condition).toContain(`@Request[${blobs}:prefix] StringStartsWith 'orchestrator/'`);
  });

  it('reads and writes application secrets in the secrets vault, not in the vaults of the CMKs', () => {
    const stackJson = (stack: TerraformStack) => JSON.parse(readFileSync(join(outdir, `stacks/${stack.node.id}/cdk.tf.json`), 'utf8'));
    const platformJson = stackJson(built.platform);
    const secretRoles = [built.addons, built.workloads]
      .map(stackJson)
      .flatMap((json) => resourcesOf(json, 'azurerm_role_assignment').map(([, value]) => value))
      .filter((g) => /^Key Vault Secrets/.test(g.role_definition_name));
    expect(secretRoles.length).toBeGreaterThan(0);
    for (const grant of secretRoles) {
      // The scope is a platform output read across stacks; that output is the secrets vault's id.
      const output = /outputs\.([\w-]+)/.exec(grant.scope)![1];
      expect(platformJson.output[output].value).toMatch(/^\$\{azurerm_key_vault\.aks-platform_secrets-key-vault_[0-9A-F]{8}\.id\}$/);
    }
  });
});

describe('AksClusterInfo: secret write access (PushSecret)', () => {
  const { outdir, built, info } = build(AZURE_EXAMPLE);
  const probe = new TerraformStack(built.app, 'probe-writer');
  info.addCloudProvider(probe);
  info.bindWorkloadIdentity(probe, {
    id: 'pusher',
    namespace: 'external-secrets',
    serviceAccount: 'external-secrets',
    readSecretPrefixes: ['rag-uae-prod-azure-'],
    writeSecretPrefixes: ['rag-uae-prod-azure-tenants-'],
  });
  info.bindWorkloadIdentity(probe, { id: 'reader', namespace: 'rag-platform', serviceAccount: 'orchestrator', readSecretPrefixes: ['rag-uae-prod-azure-orchestrator-'] });
  built.app.synth();
  const probeJson = JSON.parse(readFileSync(join(outdir, 'stacks/probe-writer/cdk.tf.json'), 'utf8'));
  const addons = JSON.parse(readFileSync(join(outdir, `stacks/${built.addons.node.id}/cdk.tf.json`), 'utf8'));
  const workloads = JSON.parse(readFileSync(join(outdir, `stacks/${built.workloads.node.id}/cdk.tf.json`), 'utf8'));
  const roles = (json: any, principal: RegExp) =>
    resourcesOf(json, 'azurerm_role_assignment')
      .map(([, value]) => value)
      .filter((g) => principal.test(g.principal_id))
      .map((g) => g.role_definition_name)
      .sort();

  it('write prefixes become Key Vault Secrets Officer on the vault (RBAC cannot scope by name prefix)', () => {
    expect(roles(probeJson, /pusher/)).toEqual(['Key Vault Secrets Officer', 'Key Vault Secrets User']);
    const officer = resourcesOf(probeJson, 'azurerm_role_assignment').map(([, v]) => v).find((g) => g.role_definition_name === 'Key Vault Secrets Officer');
    expect(officer.scope).toMatch(/remote_state.*key_vault|key-vault|keyvault/i);
  });

  it('read-only requests get no write role', () => {
    expect(roles(probeJson, /reader/)).toEqual(['Key Vault Secrets User']);
  });

  it('the addons stack gives external-secrets, and only it, write access', () => {
    expect(roles(addons, /external-secrets/)).toEqual(['Key Vault Secrets Officer', 'Key Vault Secrets User']);
    const officers = [addons, workloads]
      .flatMap((json) => resourcesOf(json, 'azurerm_role_assignment'))
      .map(([, v]) => v)
      .filter((g) => g.role_definition_name === 'Key Vault Secrets Officer');
    expect(officers).toHaveLength(1);
  });
});
