import { describeKey, KeyEvidence } from './keys';
import { addressOf, first, Json, Resource, StackSet } from './stacks';

/** Where copies of a store's data go, or how deleted data can be recovered. */
export interface BackupEvidence {
  readonly destination: string;
  readonly region: string | null;
  readonly schedule: string;
  readonly retention: string;
}

export interface DataStore {
  readonly stack: string;
  readonly address: string;
  readonly type: string;
  /** What the resource holds, in words. */
  readonly holds: string;
  readonly region: string | null;
  readonly key: KeyEvidence;
  /** How it is reached: private endpoint / VPC endpoint / in-cluster only; anything public says PUBLIC. */
  readonly reachability: string;
  readonly backup: BackupEvidence | null;
  /** Data retention of the store itself, when it expires data. */
  readonly retention?: string;
}

interface Extractor {
  readonly holds: string;
  extract(set: StackSet, resource: Resource): Omit<DataStore, 'stack' | 'address' | 'type' | 'holds' | 'region'> & { holds?: string };
}

/** The AWS VPC endpoint services the network provides (`s3`, `ecr.api`, ...). */
function awsEndpointServices(set: StackSet): Set<string> {
  return new Set(set.resources('aws_vpc_endpoint').map((endpoint) => String(endpoint.body.service_name).replace(/^com\.amazonaws\.[^.]+\./, '')));
}

function viaVpcEndpoints(set: StackSet, services: readonly string[]): string {
  const present = services.filter((service) => awsEndpointServices(set).has(service));
  return present.length > 0 ? `private: VPC endpoint ${present.join(', ')}` : 'AWS API over the network (no VPC endpoint for it)';
}

/** Azure private endpoints that connect to the resource. */
function azurePrivateEndpoints(set: StackSet, resource: Resource): string[] {
  return set
    .resources('azurerm_private_endpoint')
    .filter((endpoint) => {
      const target = set.resolve(endpoint.stack, first(endpoint.body.private_service_connection)?.private_connection_resource_id);
      return target !== undefined && target.stack === resource.stack && addressOf(target) === addressOf(resource);
    })
    .map((endpoint) => endpoint.body.name);
}

function azureReachability(set: StackSet, resource: Resource): string {
  const endpoints = azurePrivateEndpoints(set, resource);
  const publicAccess = resource.body.public_network_access_enabled !== false;
  const parts = [endpoints.length > 0 ? `private endpoint ${endpoints.join(', ')}` : 'no private endpoint'];
  if (publicAccess) parts.push('PUBLIC network access enabled');
  return parts.join('; ');
}

const days = (value: unknown): string => `${value} days`;

const EXTRACTORS: Readonly<Record<string, Extractor>> = {
  aws_s3_bucket: {
    holds: 'objects (documents, Langfuse events and media, state)',
    extract(set, bucket) {
      const sse = set.referencing('aws_s3_bucket_server_side_encryption_configuration', 'bucket', bucket)[0];
      const byDefault = first(first(sse?.body.rule)?.apply_server_side_encryption_by_default);
      const blocked = set.referencing('aws_s3_bucket_public_access_block', 'bucket', bucket)[0]?.body;
      const allBlocked = blocked && ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'].every((flag) => blocked[flag] === true);
      const versioning = set.referencing('aws_s3_bucket_versioning', 'bucket', bucket)[0];
      const lifecycle = set.referencing('aws_s3_bucket_lifecycle_configuration', 'bucket', bucket)[0];
      const noncurrent = ((lifecycle?.body.rule ?? []) as Json[]).map((rule) => first(rule.noncurrent_version_expiration)?.noncurrent_days).find((value) => value !== undefined);
      const versioned = first(versioning?.body.versioning_configuration)?.status === 'Enabled';
      return {
        key: byDefault?.sse_algorithm === 'aws:kms' ? describeKey(set, bucket.stack, byDefault.kms_master_key_id) : { kind: 'provider-managed', note: 'SSE-S3 (AWS-owned key)' },
        reachability: `${allBlocked ? 'no public access (all four public access blocks)' : 'PUBLIC ACCESS NOT BLOCKED'}; ${viaVpcEndpoints(set, ['s3'])}`,
        backup: versioned
          ? { destination: 'object versions in the same bucket', region: set.regionOf(bucket) ?? null, schedule: 'every overwrite and delete', retention: noncurrent ? `noncurrent versions ${days(noncurrent)}` : 'unlimited' }
          : null,
      };
    },
  },
  aws_ecr_repository: {
    holds: 'container images',
    extract(set, repository) {
      const encryption = first(repository.body.encryption_configuration);
      return {
        key: encryption?.encryption_type === 'KMS' ? describeKey(set, repository.stack, encryption.kms_key) : { kind: 'provider-managed', note: 'AES-256 (AWS-owned key)' },
        reachability: viaVpcEndpoints(set, ['ecr.api', 'ecr.dkr']),
        backup: null,
      };
    },
  },
  aws_cloudwatch_log_group: {
    holds: 'logs',
    extract: (set, group) => ({
      key: describeKey(set, group.stack, group.body.kms_key_id),
      reachability: viaVpcEndpoints(set, ['logs']),
      backup: null,
      retention: group.body.retention_in_days ? days(group.body.retention_in_days) : 'never expires',
    }),
  },
  aws_eks_cluster: {
    holds: 'Kubernetes Secrets (etcd)',
    extract(set, cluster) {
      const vpc = first(cluster.body.vpc_config) ?? {};
      const encryption = first(cluster.body.encryption_config);
      return {
        key: encryption ? describeKey(set, cluster.stack, first(encryption.provider)?.key_arn) : { kind: 'provider-managed', note: 'no envelope encryption of Secrets' },
        reachability: vpc.endpoint_public_access === false ? 'private API endpoint in the VPC only' : 'PUBLIC API endpoint',
        backup: null,
      };
    },
  },
  aws_launch_template: {
    holds: 'node disks (images, emptyDir, logs)',
    extract(set, template) {
      const ebs = ((template.body.block_device_mappings ?? []) as Json[]).map((mapping) => first(mapping.ebs)).find((volume) => volume !== undefined);
      return {
        key: ebs?.encrypted === true || ebs?.encrypted === 'true' ? describeKey(set, template.stack, ebs.kms_key_id) : { kind: 'none', note: 'EBS encryption not requested' },
        reachability: 'attached to cluster nodes only',
        backup: null,
      };
    },
  },
  aws_secretsmanager_secret: {
    holds: 'secrets',
    extract: (set, secret) => ({ key: describeKey(set, secret.stack, secret.body.kms_key_id), reachability: viaVpcEndpoints(set, ['secretsmanager']), backup: null }),
  },
  azurerm_storage_account: {
    holds: 'blobs (documents, Langfuse events and media, state)',
    extract(set, account) {
      const cmk = first(account.body.customer_managed_key);
      const blob = first(account.body.blob_properties);
      const deleteDays = first(blob?.delete_retention_policy)?.days;
      return {
        holds: `blobs, ${account.body.account_replication_type ?? '?'} replication`,
        key: describeKey(set, account.stack, cmk?.key_vault_key_id),
        reachability: azureReachability(set, account),
        backup: blob?.versioning_enabled
          ? { destination: 'blob versions and soft delete in the same account', region: set.azureLocation(account) ?? null, schedule: 'every overwrite and delete', retention: deleteDays ? `deleted blobs ${days(deleteDays)}` : 'unlimited versions' }
          : null,
      };
    },
  },
  azurerm_container_registry: {
    holds: 'container images',
    extract: (set, registry) => ({
      key: describeKey(set, registry.stack, first(registry.body.encryption)?.key_vault_key_id),
      reachability: azureReachability(set, registry),
      backup: null,
    }),
  },
  azurerm_key_vault: {
    holds: 'keys and secrets',
    extract: (set, vault) => ({
      key: { kind: 'vault-hsm', note: `keys held in the vault (${vault.body.sku_name} SKU${vault.body.sku_name === 'premium' ? ', HSM-backed keys' : ''})` },
      reachability: azureReachability(set, vault),
      backup: {
        destination: 'soft delete in the same vault',
        region: set.azureLocation(vault) ?? null,
        schedule: 'every delete',
        retention: `${days(vault.body.soft_delete_retention_days ?? 90)}${vault.body.purge_protection_enabled ? ', purge protection on' : ''}`,
      },
    }),
  },
  azurerm_kubernetes_cluster: {
    holds: 'Kubernetes Secrets (etcd)',
    extract: (set, cluster) => ({
      key: describeKey(set, cluster.stack, first(cluster.body.key_management_service)?.key_vault_key_id),
      reachability: cluster.body.private_cluster_enabled === true && cluster.body.private_cluster_public_fqdn_enabled !== true ? 'private API endpoint in the VNet only' : 'PUBLIC API endpoint',
      backup: null,
    }),
  },
  azurerm_log_analytics_workspace: {
    holds: 'logs',
    extract: (_set, workspace) => ({
      key: { kind: 'provider-managed', note: 'Microsoft-managed key (a customer-managed key needs a dedicated Log Analytics cluster)' },
      reachability: `ingestion ${workspace.body.internet_ingestion_enabled === false ? 'private only' : 'PUBLIC'}; query ${workspace.body.internet_query_enabled === false ? 'private only' : 'from the internet with Entra ID sign-in'}`,
      backup: null,
      retention: workspace.body.retention_in_days ? days(workspace.body.retention_in_days) : undefined,
    }),
  },
};

/** AKS node disks are a second data store on the cluster resource (the disk encryption set). */
function aksNodeDisks(set: StackSet): DataStore[] {
  return set.resources('azurerm_kubernetes_cluster').map((cluster) => ({
    stack: cluster.stack,
    address: `${addressOf(cluster)}.disk_encryption_set_id`,
    type: cluster.type,
    holds: 'node disks (images, emptyDir, logs)',
    region: set.azureLocation(cluster) ?? null,
    key: cluster.body.disk_encryption_set_id ? describeKey(set, cluster.stack, cluster.body.disk_encryption_set_id) : { kind: 'provider-managed', note: 'platform-managed disk key' },
    reachability: 'attached to cluster nodes only',
    backup: null,
  }));
}

/** Data-bearing resource types the report knows how to read (the test checks we synthesize no other). */
export const DATA_BEARING_TYPES = Object.keys(EXTRACTORS).sort();

export function cloudDataStores(set: StackSet): DataStore[] {
  const stores = DATA_BEARING_TYPES.flatMap((type) =>
    set.resources(type).map((resource) => {
      const { holds, ...evidence } = EXTRACTORS[type].extract(set, resource);
      return { stack: resource.stack, address: addressOf(resource), type, holds: holds ?? EXTRACTORS[type].holds, region: set.regionOf(resource) ?? null, ...evidence };
    }),
  );
  return [...stores, ...aksNodeDisks(set)];
}

/** Each stack's Terraform state: where its backend keeps it and under which key. */
export function stateStores(set: StackSet): DataStore[] {
  return set.stacks.map((stack) => {
    const [kind, config] = Object.entries((stack.doc.terraform?.backend ?? { local: {} }) as Json)[0];
    const base = { stack: stack.name, address: `terraform.backend.${kind}`, type: `backend:${kind}`, holds: 'Terraform state (may contain generated secrets)', backup: null };
    if (kind === 's3') {
      const bucket = set.resources('aws_s3_bucket').find((candidate) => candidate.body.bucket === config.bucket);
      return {
        ...base,
        region: config.region ?? null,
        key: config.kms_key_id ? describeKey(set, stack.name, config.kms_key_id) : { kind: 'provider-managed', note: 'bucket default encryption' },
        reachability: `S3 bucket ${config.bucket}${bucket ? ` (${bucket.stack}/${addressOf(bucket)})` : ''}; ${viaVpcEndpoints(set, ['s3'])} for in-VPC runners`,
      } as DataStore;
    }
    if (kind === 'azurerm') {
      const account = set.resources('azurerm_storage_account').find((candidate) => candidate.body.name === config.storage_account_name);
      return {
        ...base,
        region: account ? (set.azureLocation(account) ?? null) : null,
        key: account ? describeKey(set, account.stack, first(account.body.customer_managed_key)?.key_vault_key_id) : { kind: 'unresolved', note: `storage account ${config.storage_account_name} is not synthesized here` },
        reachability: `storage account ${config.storage_account_name}/${config.container_name}${account ? `; ${azureReachability(set, account)}` : ''}`,
      } as DataStore;
    }
    if (kind === 'local') {
      return { ...base, region: null, key: { kind: 'none', note: 'a local file on the machine that runs terraform' }, reachability: `local file ${config.path ?? 'terraform.tfstate'}` } as DataStore;
    }
    return { ...base, region: null, key: { kind: 'unresolved', note: `held by the ${kind} backend (${config.hostname ?? 'remote'})` }, reachability: `${kind} backend ${config.hostname ?? ''}`.trim() } as DataStore;
  });
}
