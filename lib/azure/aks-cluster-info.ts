import { Construct } from 'constructs';
import { Fn, ITerraformDependable, TerraformStack } from 'cdktf';
import { UserAssignedIdentity } from '@cdktf/provider-azurerm/lib/user-assigned-identity';
import { FederatedIdentityCredential } from '@cdktf/provider-azurerm/lib/federated-identity-credential';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { DataAzurermUserAssignedIdentity } from '@cdktf/provider-azurerm/lib/data-azurerm-user-assigned-identity';
import { ClusterInfo, SECRET_STORE_CONTROLLER_ID, WorkloadIdentityBinding, WorkloadIdentityRequest } from '../cluster/cluster-info';
import { poolPlacements } from '../cluster/pools';
import { AksPlatform, AZURE_SECRET_SEPARATOR, LANGFUSE_BLOB, PLATFORM_CONTAINER } from './aks-platform';
import { azureTags, ROLES } from './placement';
import { workloadKeyVaultName } from './names';
import { sovereignAzureProvider, SovereignAzureProviderProps } from './provider';

export interface AksClusterInfoProps {
  readonly provider: SovereignAzureProviderProps;
  readonly gpuFamily: string;
  readonly imageMirror: string;
  readonly chartMirror: string;
  /** Zones the node pools span: ClusterInfo.zoneCount (at least 1). */
  readonly zoneCount: number;
}

/** Entra ID's well-known application id of the AKS AAD server (the token audience kubelogin asks for). */
export const AKS_AAD_SERVER_ID = '6dae42f8-4368-4678-94ff-3960e28e3630';
/** The audience Entra ID expects in a federated token exchange. */
export const WORKLOAD_IDENTITY_AUDIENCE = 'api://AzureADTokenExchange';

/**
 * The AKS side of the ClusterInfo seam: Entra workload identity (federated credentials on user-assigned
 * identities), Key Vault for secrets, Azure Disk with our disk encryption set, Blob for object storage.
 */
export class AksClusterInfo implements ClusterInfo {
  readonly clusterName: string;
  readonly region: string;
  readonly zoneCount: number;
  readonly access: ClusterInfo['access'];
  readonly storageClass: ClusterInfo['storageClass'];
  readonly pools: ClusterInfo['pools'];
  readonly imageMirror: string;
  readonly chartMirror: string;
  readonly platformRegistry: string;
  readonly secretStore: ClusterInfo['secretStore'];
  readonly objectStorage: ClusterInfo['objectStorage'];
  readonly internalLoadBalancerAnnotations: Readonly<Record<string, string>>;
  readonly apiServerCidrs: readonly string[];
  readonly nodeCidrs: readonly string[];
  /** Not wired yet: LiteLLM calls Azure OpenAI with the account's API key from Key Vault (no Entra grant). */
  readonly llmProvider = 'azure-openai' as const;
  /** Azure CNI powered by Cilium: ipBlock never matches the API server or nodes (lib/kubernetes/network-policies.ts). */
  readonly networkPolicyFlavour: ClusterInfo['networkPolicyFlavour'] = 'cilium';
  /**
   * Key Vault, Blob and ACR are private endpoints in the VNet, but Entra ID (the workload identity token
   * exchange) has no private endpoint: it is reached through the hub firewall, whose FQDN rules are the
   * boundary. The pod side can therefore only say "443 out"; the firewall says where.
   */
  readonly cloudApiCidrs: ClusterInfo['cloudApiCidrs'] = ['0.0.0.0/0'];
  /** Workload identity projects the token into the pod: no node-local agent. */
  readonly workloadIdentityAgent: ClusterInfo['workloadIdentityAgent'] = undefined;
  /**
   * AKS runs metrics-server itself (`v1beta1.metrics.k8s.io` is addon-managed) and its cluster autoscaler
   * in the control plane (every pool sets auto_scaling_enabled with min/max: lib/azure/node-pool.ts and
   * aks-cluster.ts; the profile is `auto_scaler_profile` there). Cilium replaces kube-proxy. The Azure
   * cloud provider serves `type: LoadBalancer` Services itself.
   */
  readonly addOns: ClusterInfo['addOns'] = { managedMetricsServer: true, kubeProxy: false };

  constructor(
    private readonly platform: AksPlatform,
    private readonly props: AksClusterInfoProps,
  ) {
    const cluster = platform.cluster.cluster;
    const kubeConfig = cluster.kubeConfig.get(0);
    this.clusterName = cluster.name;
    this.region = props.provider.region;
    this.zoneCount = props.zoneCount;
    this.access = {
      // The private FQDN in our privatelink zone; kube_config carries no credential with local accounts off.
      host: kubeConfig.host,
      clusterCaCertificate: Fn.base64decode(kubeConfig.clusterCaCertificate),
      exec: {
        apiVersion: 'client.authentication.k8s.io/v1beta1',
        command: 'kubelogin',
        // The runner's `az login` session (a managed identity on the in-network runner) mints the token.
        args: ['get-token', '--login', 'azurecli', '--server-id', AKS_AAD_SERVER_ID],
      },
    };
    this.storageClass = {
      provisioner: 'disk.csi.azure.com',
      parameters: {
        // Zone-redundant disks where the region has zones (a pod can move zones with its volume).
        skuName: platform.zoneRedundant ? 'Premium_ZRS' : 'Premium_LRS',
        diskEncryptionSetID: platform.diskEncryptionSet.id,
        diskEncryptionType: 'EncryptionAtRestWithCustomerKey',
        // No SAS export/import of volumes and no public disk access.
        networkAccessPolicy: 'DenyAll',
        publicNetworkAccess: 'Disabled',
      },
    };
    // AKS's default gpu_driver (Install) puts the NVIDIA driver on the node.
    this.pools = poolPlacements(props.gpuFamily, true);
    this.imageMirror = props.imageMirror;
    this.chartMirror = props.chartMirror;
    this.platformRegistry = platform.registry.registry.loginServer;
    this.secretStore = {
      kind: 'azure-key-vault',
      // The consumer adds `serviceAccountRef` (the external-secrets ServiceAccount it binds with
      // bindWorkloadIdentity): which namespace it runs in is the workloads layer's decision.
      provider: { azurekv: { authType: 'WorkloadIdentity', vaultUrl: platform.secretsVault.vault.vaultUri, tenantId: props.provider.tenantId } },
      separator: AZURE_SECRET_SEPARATOR,
    };
    const blobEndpoint = platform.storage.account.primaryBlobEndpoint;
    this.objectStorage = {
      bucket: PLATFORM_CONTAINER,
      endpoint: blobEndpoint,
      kind: 'azure-blob',
      cliImage: 'azure-cli',
      // primaryBlobEndpoint ends with a slash.
      location: (prefix) => `${blobEndpoint}${PLATFORM_CONTAINER}/${prefix}`,
      accountKeyStores: {
        [LANGFUSE_BLOB.secret.component]: {
          bucket: LANGFUSE_BLOB.container,
          endpoint: platform.langfuseStorage.account.primaryBlobEndpoint,
          accountName: platform.langfuseStorage.account.name,
          accountKey: LANGFUSE_BLOB.secret,
        },
      },
      downloadPrefix: (prefix, directory) => ({
        image: 'azure-cli',
        // The workload identity webhook injects AZURE_CLIENT_ID/TENANT_ID/FEDERATED_TOKEN_FILE into every
        // container; the CLI logs in with the federated token and reads through the blob private endpoint.
        // download-batch keeps the full blob name below the destination (the layout downloadPrefix promises).
        command: [
          '/bin/sh',
          '-ec',
          [
            'az login --service-principal --username "$AZURE_CLIENT_ID" --tenant "$AZURE_TENANT_ID" --federated-token "$(cat "$AZURE_FEDERATED_TOKEN_FILE")" --allow-no-subscriptions --output none',
            `az storage blob download-batch --auth-mode login --blob-endpoint "${blobEndpoint}" --source "${PLATFORM_CONTAINER}" --pattern "${prefix}*" --destination "${directory}" --output none`,
          ].join('\n'),
        ],
        env: { AZURE_CONFIG_DIR: '/tmp/.azure', HOME: '/tmp' },
      }),
    };
    this.internalLoadBalancerAnnotations = { 'service.beta.kubernetes.io/azure-load-balancer-internal': 'true' };
    // With API server VNet integration the API server's internal IP is in the delegated subnet.
    this.apiServerCidrs = [platform.network.plan.apiServer];
    this.nodeCidrs = [platform.network.plan.nodes];
  }

  /** Workload and tenant stacks create identities and role assignments: they need the provider too. */
  addCloudProvider(stack: TerraformStack): void {
    sovereignAzureProvider(stack, this.props.provider);
  }

  /** ACR: the runner's own login (Entra ID, `az acr login`), as documented for the Azure landing zone. */
  chartMirrorLogin(): undefined {
    return undefined;
  }

  /**
   * A user-assigned identity per workload, federated to exactly one ServiceAccount through the cluster's
   * OIDC issuer, holding only the roles the request asks for.
   *
   * Secrets: Key Vault RBAC scopes to a vault or to one named secret, never to a name prefix, and the
   * secrets under a prefix do not exist at synth time. So `readSecretPrefixes` becomes Key Vault Secrets
   * User (read values, no list of other vaults, no write) on a whole vault: for a platform workload the
   * platform's secrets vault, whose per-prefix boundary is enforced by the ExternalSecret objects the
   * workload is allowed to create (policy), not by Azure. A `secretStoreIdentity` workload (a tenant)
   * gets a vault of its own instead, created with it (workloadSecretsVault): its identity holds Secrets
   * User there and no role at all on the platform's vault, so it can read its own secrets and nothing else.
   * Secrets live in their own vaults: no workload role ever lands on the vaults of the CMKs.
   * For the same reason `writeSecretPrefixes` becomes Key Vault Secrets Officer on the whole vault (create,
   * write and delete ANY secret of the secrets vault, not only those under the prefix): Azure has no
   * narrower grant for secrets that do not exist yet. Only external-secrets asks for it (PushSecrets of
   * tenant credentials), and which names it writes is decided by the PushSecrets the stacks create.
   *
   * Object storage: Storage Blob Data Contributor on the platform container only (not the account), with
   * a condition that confines every blob action and listing to the request's prefix.
   */
  bindWorkloadIdentity(scope: Construct, request: WorkloadIdentityRequest): WorkloadIdentityBinding {
    if (request.cloudControl !== undefined) {
      // addOns above asks for no in-cluster cloud controller on AKS, so nothing may request one.
      throw new Error(`AKS runs ${request.cloudControl} itself: no workload identity for it (request ${request.id})`);
    }
    const { environment, tenantId } = this.props.provider;
    const { placement } = this.platform;
    const construct = new Construct(scope, `identity-${request.id}`);
    const identity = new UserAssignedIdentity(construct, 'identity', {
      name: `${environment}-${request.id}`,
      location: placement.location,
      resourceGroupName: placement.resourceGroupName,
      tags: azureTags(placement, request.id, `${environment}-${request.id}`),
    });
    const federation = new FederatedIdentityCredential(construct, 'federation', {
      name: `${request.namespace}-${request.serviceAccount}`,
      resourceGroupName: placement.resourceGroupName,
      parentId: identity.id,
      audience: [WORKLOAD_IDENTITY_AUDIENCE],
      issuer: this.platform.cluster.cluster.oidcIssuerUrl,
      subject: `system:serviceaccount:${request.namespace}:${request.serviceAccount}`,
    });
    const grant = (id: string, role: string, scopeId: string, condition?: string) =>
      new RoleAssignment(construct, id, {
        principalId: identity.principalId,
        principalType: 'ServicePrincipal',
        roleDefinitionName: role,
        scope: scopeId,
        skipServicePrincipalAadCheck: true,
        ...(condition === undefined ? {} : { condition, conditionVersion: '2.0' }),
      });
    const resources: ITerraformDependable[] = [federation];
    const ownVault = request.secretStoreIdentity ? this.workloadSecretsVault(construct, request.id) : undefined;
    if (request.readSecretPrefixes?.length) {
      resources.push(grant('key-vault-secrets-user', ROLES.keyVaultSecretsUser, (ownVault?.vault ?? this.platform.secretsVault.vault).id));
    }
    if (ownVault) {
      resources.push(ownVault.controllerAccess);
    }
    if (request.writeSecretPrefixes?.length) {
      // Key Vault RBAC cannot scope by name prefix: the vault-wide Secrets Officer (see above).
      resources.push(grant('key-vault-secrets-officer', ROLES.keyVaultSecretsOfficer, this.platform.secretsVault.vault.id));
    }
    if (request.objectStoragePrefix !== undefined) {
      // Container-scoped role, narrowed by condition to the workload's own prefix (Langfuse: langfuse/).
      resources.push(
        grant('blob-data-contributor', ROLES.storageBlobDataContributor, this.platform.storage.containers[PLATFORM_CONTAINER].resourceManagerId, blobPrefixWriteCondition(request.objectStoragePrefix)),
      );
    }
    if (request.readObjectPrefixes?.length) {
      // Blob RBAC scopes to a container; the ABAC condition narrows reads and listings to the prefixes.
      const container = this.platform.storage.containers[PLATFORM_CONTAINER].resourceManagerId;
      grant('blob-data-reader', ROLES.storageBlobDataReader, container, blobPrefixReadCondition(request.readObjectPrefixes));
    }
    return {
      serviceAccountAnnotations: { 'azure.workload.identity/client-id': identity.clientId, 'azure.workload.identity/tenant-id': tenantId },
      podLabels: { 'azure.workload.identity/use': 'true' },
      resources,
      // external-secrets requests a token for the workload's own (annotated) ServiceAccount and exchanges
      // it for this identity: the store reads with the workload's roles, never with the controller's.
      ...(ownVault
        ? {
            secretStoreProvider: { azurekv: { ...this.vaultProvider(ownVault.vault.vaultUri), serviceAccountRef: { name: request.serviceAccount } } },
            // No serviceAccountRef: the controller's own identity, which is Secrets Officer on this vault.
            controllerSecretStoreProvider: { azurekv: this.vaultProvider(ownVault.vault.vaultUri) },
          }
        : {}),
    };
  }

  /** The platform store's `azurekv` provider (workload identity, tenant id) on another vault. */
  private vaultProvider(vaultUrl: string): Record<string, unknown> {
    return { ...(this.secretStore.provider.azurekv as Record<string, unknown>), vaultUrl };
  }

  /**
   * The Key Vault of one `secretStoreIdentity` workload, in its own stack (destroyed with it): like the
   * platform's secrets vault (private endpoint, RBAC, purge protection, public access off, audit logs),
   * named deterministically within Key Vault's 24 characters (workloadKeyVaultName). The secret-store
   * controller (external-secrets, looked up by its stable name: it lives in the addons stack, applied
   * before any tenant) gets Secrets Officer on it: it creates the workload's generated secrets there
   * (PushSecret) and reads them back for the platform-side Jobs. No CMK: Key Vault protects its secrets
   * with its own HSM-backed keys (as the platform's secrets vault).
   */
  private workloadSecretsVault(scope: Construct, workloadId: string) {
    const { environment } = this.props.provider;
    const owned = this.platform.addKeyVault(scope, 'secrets-vault', {
      name: workloadKeyVaultName(environment, workloadId),
      component: workloadId,
      holdsKeys: false,
    });
    const controller = new DataAzurermUserAssignedIdentity(scope, 'secret-store-controller', {
      name: `${environment}-${SECRET_STORE_CONTROLLER_ID}`,
      resourceGroupName: this.platform.placement.resourceGroupName,
    });
    const controllerAccess = new RoleAssignment(scope, 'secret-store-controller-secrets-officer', {
      principalId: controller.principalId,
      principalType: 'ServicePrincipal',
      roleDefinitionName: ROLES.keyVaultSecretsOfficer,
      scope: owned.vault.id,
      skipServicePrincipalAadCheck: true,
    });
    return { vault: owned.vault, controllerAccess };
  }
}

const BLOB_ATTRIBUTE = 'Microsoft.Storage/storageAccounts/blobServices/containers/blobs';
const BLOB_READ = `${BLOB_ATTRIBUTE}/read`;
/** Storage Blob Data Contributor's data actions besides read: each acts on one blob path. */
const BLOB_WRITES = [`${BLOB_ATTRIBUTE}/write`, `${BLOB_ATTRIBUTE}/add/action`, `${BLOB_ATTRIBUTE}/delete`, `${BLOB_ATTRIBUTE}/move/action`];

/**
 * Role-assignment condition (ABAC, version 2.0): the blob actions in `pathActions` (and reads other than
 * listing) only on blobs whose path starts with one of `prefixes`, listing only with such a prefix; other
 * actions of the role are unaffected.
 */
function blobPrefixCondition(prefixes: readonly string[], pathActions: readonly string[]): string {
  const any = (attribute: string) => prefixes.map((prefix) => `${attribute} StringStartsWith '${prefix}'`).join(' OR ');
  const onPath = [`(ActionMatches{'${BLOB_READ}'} AND NOT SubOperationMatches{'Blob.List'})`, ...pathActions.map((action) => `(ActionMatches{'${action}'})`)];
  return [
    `((${onPath.map((match) => `!${match}`).join(' AND ')}) OR (${any(`@Resource[${BLOB_ATTRIBUTE}:path]`)}))`,
    `((!(ActionMatches{'${BLOB_READ}'} AND SubOperationMatches{'Blob.List'})) OR (${any(`@Request[${BLOB_ATTRIBUTE}:prefix]`)}))`,
  ].join(' AND ');
}

/** Storage Blob Data Reader narrowed to `prefixes`. */
export function blobPrefixReadCondition(prefixes: readonly string[]): string {
  return blobPrefixCondition(prefixes, []);
}

/** Storage Blob Data Contributor narrowed to `prefix`: read, list, write, add, delete and move below it only. */
export function blobPrefixWriteCondition(prefix: string): string {
  return blobPrefixCondition([prefix], BLOB_WRITES);
}
