/**
 * Mutations for the gate's mutation test: each breaks one property of a compliant synthesized stack
 * (cdk.tf.json shape) so that exactly one rule should fire. Mutations find their target by resource
 * type (never by a fixture's construct names), so they apply to real `cdktf.out` stacks as well as to
 * the fixtures under policies/fixtures.
 */
import { PolicyData, PolicyStack } from '../../lib/policy';
import { Json, JsonObject, resourcesOf } from './fixtures';

export interface MutationTarget {
  readonly doc: JsonObject;
  readonly data: PolicyData;
}

export interface Mutation {
  /** The rule id that must deny the mutated stack. */
  readonly rule: string;
  readonly description: string;
  /**
   * Changes doc/data in place and returns the address the finding should name, or undefined when the
   * stack has nothing this mutation can break (then it is skipped for that stack).
   */
  apply(target: MutationTarget): { address: string; data?: PolicyData } | undefined;
}

type Resource = [string, string, JsonObject];

function first(doc: JsonObject, type: string | ((t: string, body: JsonObject) => boolean)): Resource | undefined {
  return resourcesOf(doc).find(([t, , body]) => (typeof type === 'string' ? t === type : type(t, body)));
}

function all(doc: JsonObject, type: string): Resource[] {
  return resourcesOf(doc).filter(([t]) => t === type);
}

/** The first block named key (cdktf writes single blocks as objects, lists as arrays). */
function blockOf(body: JsonObject, key: string): JsonObject | undefined {
  const value = body[key];
  if (Array.isArray(value)) return (value[0] as JsonObject | undefined) ?? undefined;
  if (value !== null && typeof value === 'object') return value as JsonObject;
  return undefined;
}

function addResource(doc: JsonObject, type: string, name: string, body: JsonObject): string {
  const resource = (doc.resource ??= {}) as Record<string, Record<string, Json>>;
  resource[type] ??= {};
  resource[type][name] = body;
  return `${type}.${name}`;
}

function awsProvider(doc: JsonObject): JsonObject | undefined {
  const provider = (doc.provider as Record<string, Json> | undefined)?.aws;
  if (Array.isArray(provider)) return provider[0] as JsonObject;
  if (provider !== null && typeof provider === 'object') return provider as JsonObject;
  return undefined;
}

function isLiteLLM(t: string, body: JsonObject): boolean {
  return t === 'helm_release' && String(body.chart ?? '').toLowerCase().includes('litellm');
}

function appendValues(body: JsonObject, values: object): void {
  body.values = [...((body.values as Json[] | undefined) ?? []), JSON.stringify(values)];
}

function address([type, name]: Resource): string {
  return `${type}.${name}`;
}

function labelsOf(body: JsonObject): JsonObject | undefined {
  const metadata = blockOf(body, 'metadata') ?? ((body.manifest as JsonObject | undefined)?.metadata as JsonObject | undefined);
  return metadata?.labels as JsonObject | undefined;
}

function tenantOnly(data: PolicyData): boolean {
  return data.stack.kind === 'tenant';
}

function removeAll(doc: JsonObject, types: string[], kinds: string[]): boolean {
  const resource = doc.resource as Record<string, Record<string, JsonObject>> | undefined;
  if (!resource) return false;
  let removed = false;
  for (const type of types) {
    if (resource[type]) {
      delete resource[type];
      removed = true;
    }
  }
  for (const [, name, body] of all(doc, 'kubernetes_manifest')) {
    const kind = (body.manifest as JsonObject | undefined)?.kind;
    if (typeof kind === 'string' && kinds.includes(kind)) {
      delete resource.kubernetes_manifest[name];
      removed = true;
    }
  }
  return removed;
}

function stackAddress(stack: PolicyStack): string {
  return `stack.${stack.name}`;
}

function terraformBlock(doc: JsonObject): JsonObject {
  return (doc.terraform ??= {}) as JsonObject;
}

/** Adds one unclassified (or misplaced) thing to a stack: classification.unclassified must name it. */
function unclassified(description: string, add: (target: MutationTarget) => string | undefined): Mutation {
  return {
    rule: 'classification.unclassified',
    description,
    apply: (target) => {
      const address = add(target);
      return address === undefined ? undefined : { address };
    },
  };
}

/** A single-change mutation: `change` edits the stack and returns the address that must be denied. */
function mutation(rule: string, description: string, change: (target: MutationTarget) => string | undefined): Mutation {
  return {
    rule,
    description,
    apply: (target) => {
      const address = change(target);
      return address === undefined ? undefined : { address };
    },
  };
}

function clusterStack(data: PolicyData): boolean {
  return ['addons', 'workloads', 'tenant'].includes(data.stack.kind);
}

/** The sse configurations / public access blocks that reference a bucket. */
function bucketCompanions(doc: JsonObject, type: string, bucket: Resource): JsonObject[] {
  return all(doc, type)
    .map(([, , body]) => body)
    .filter((body) => String(body.bucket ?? '').includes(`\${${address(bucket)}.`));
}

function withLiteLLMModel(params: JsonObject): (target: MutationTarget) => string | undefined {
  return ({ doc }) => {
    const r = first(doc, isLiteLLM);
    if (!r) return undefined;
    appendValues(r[2], { proxy_config: { model_list: [{ model_name: 'mutation', litellm_params: params }] } });
    return address(r);
  };
}

/** Sets one attribute of the first resource of a type; that resource must then be denied. */
function setOnFirst(type: string, attribute: string, value: Json): (target: MutationTarget) => string | undefined {
  return ({ doc }) => {
    const r = first(doc, type);
    if (!r) return undefined;
    r[2][attribute] = value;
    return address(r);
  };
}

/** Gives the first bucket's public access blocks a count that may make them not exist. */
function withPublicAccessBlockCount(value: Json): (target: MutationTarget) => string | undefined {
  return ({ doc }) => {
    const bucket = first(doc, 'aws_s3_bucket');
    const blocks = bucket && bucketCompanions(doc, 'aws_s3_bucket_public_access_block', bucket);
    if (!bucket || !blocks || blocks.length === 0) return undefined;
    blocks.forEach((pab) => (pab.count = value));
    return address(bucket);
  };
}

const OTHER_CLOUD_INTERNAL: Record<string, JsonObject> = {
  aws: { 'service.beta.kubernetes.io/azure-load-balancer-internal': 'true' },
  azure: { 'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internal' },
};

const OWN_CLOUD_INTERNAL: Record<string, JsonObject> = {
  aws: { 'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internal' },
  azure: { 'service.beta.kubernetes.io/azure-load-balancer-internal': 'true' },
};

/** Value shapes: each class of miss the issue lists, as one single change the gate must deny. */
const VALUE_SHAPE_MUTATIONS: readonly Mutation[] = [
  mutation('exposure.subnet_public_ip', 'map_public_ip_on_launch = "1" (a Terraform true)', setOnFirst('aws_subnet', 'map_public_ip_on_launch', '1')),
  mutation('exposure.subnet_public_ip', 'map_public_ip_on_launch = ${var.public} (unprovable)', setOnFirst('aws_subnet', 'map_public_ip_on_launch', '${var.public}')),
  mutation('exposure.s3_public_access_block', 'the public access block has count = 0', withPublicAccessBlockCount(0)),
  mutation('exposure.s3_public_access_block', 'the public access block has count = ${var.n} (may be 0)', withPublicAccessBlockCount('${var.n}')),
  mutation('encryption.s3_kms', 'bucket encrypted with the AWS-managed key alias/aws/s3', ({ doc }) => {
    const bucket = first(doc, 'aws_s3_bucket');
    const configs = bucket && bucketCompanions(doc, 'aws_s3_bucket_server_side_encryption_configuration', bucket);
    if (!bucket || !configs || configs.length === 0) return undefined;
    for (const sse of configs) {
      for (const rule of (Array.isArray(sse.rule) ? sse.rule : [sse.rule]) as JsonObject[]) {
        const byDefault = rule && blockOf(rule, 'apply_server_side_encryption_by_default');
        if (byDefault) byDefault.kms_master_key_id = 'alias/aws/s3';
      }
    }
    return address(bucket);
  }),
  mutation('encryption.secret_kms', 'secret encrypted with the AWS-managed key (alias ARN)', setOnFirst('aws_secretsmanager_secret', 'kms_key_id', 'arn:aws:kms:me-central-1:111122223333:alias/aws/secretsmanager')),
  mutation('sovereignty.llm_endpoint', 'Bedrock model through the global cross-region inference profile', withLiteLLMModel({ model: 'bedrock/global.anthropic.claude-sonnet-4-20250514-v1:0', aws_region_name: 'me-central-1' })),
  mutation('sovereignty.llm_endpoint', 'Bedrock converse model through a us. inference profile', withLiteLLMModel({ model: 'bedrock/converse/us.meta.llama3-3-70b-instruct-v1:0', aws_region_name: 'me-central-1' })),
  mutation('sovereignty.llm_endpoint', 'in-region model with a runtime endpoint override to another region', withLiteLLMModel({ model: 'bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0', aws_region_name: 'me-central-1', aws_bedrock_runtime_endpoint: 'https://bedrock-runtime.us-east-1.amazonaws.com' })),
  mutation('sovereignty.llm_endpoint', 'LiteLLM success callback to a SaaS', ({ doc }) => {
    const r = first(doc, isLiteLLM);
    if (!r) return undefined;
    appendValues(r[2], { proxy_config: { litellm_settings: { success_callback: ['datadog'] } } });
    return address(r);
  }),
  mutation('sovereignty.llm_endpoint', 'LiteLLM model region given through a helm set entry', ({ doc }) => {
    const r = first(doc, isLiteLLM);
    if (!r) return undefined;
    r[2].set = [{ name: 'proxy_config.model_list[0].litellm_params.aws_region_name', value: 'us-east-1' }];
    return address(r);
  }),
  mutation('exposure.k8s_public_load_balancer', "LoadBalancer Service with the other cloud's internal annotation", ({ doc, data }) => {
    if (!clusterStack(data)) return undefined;
    return addResource(doc, 'kubernetes_service_v1', 'mutation', {
      metadata: { name: 'mutation', namespace: 'default', annotations: OTHER_CLOUD_INTERNAL[data.environment.cloud] },
      spec: { type: 'LoadBalancer', port: [{ port: 443 }] },
    });
  }),
  mutation('exposure.k8s_public_load_balancer', 'chart values turn a service into a LoadBalancer without annotation', ({ doc }) => {
    const r = first(doc, 'helm_release');
    if (!r) return undefined;
    appendValues(r[2], { mutation: { service: { type: 'LoadBalancer' } } });
    return address(r);
  }),
  mutation('exposure.k8s_public_load_balancer', 'a helm set entry makes a service a LoadBalancer', ({ doc }) => {
    const r = first(doc, 'helm_release');
    if (!r) return undefined;
    r[2].set = [...((r[2].set as Json[] | undefined) ?? []), { name: 'service.type', value: 'LoadBalancer' }];
    return address(r);
  }),
];

/**
 * Replaces `from` by `to` in the attributes of the first resource that writes `from` in one (anywhere: an
 * attribute, a policy document, Helm values; not the construct metadata under "//"); returns its address.
 */
function renameInFirst(doc: JsonObject, from: string, to: string): string | undefined {
  const attributes = (body: JsonObject) => Object.keys(body).filter((key) => key !== '//');
  const r = first(doc, (_t, body) => attributes(body).some((key) => JSON.stringify(body[key]).includes(from)));
  if (!r) return undefined;
  for (const key of attributes(r[2])) r[2][key] = JSON.parse(JSON.stringify(r[2][key]).split(from).join(to)) as Json;
  return address(r);
}

/** Tenant scope: a tenant stack reaching beyond its own (issue: tenancy judged by presence, not scope). */
const TENANT_SCOPE_MUTATIONS: readonly Mutation[] = [
  mutation('tenancy.scope', 'an allow-all NetworkPolicy egress rule (empty namespace selector)', ({ doc, data }) => {
    if (!tenantOnly(data)) return undefined;
    return addResource(doc, 'kubernetes_network_policy_v1', 'mutation', {
      metadata: { name: 'mutation', namespace: `tenant-${data.stack.tenantId}`, labels: { tenant_id: data.stack.tenantId ?? '' } },
      spec: { pod_selector: {}, policy_types: ['Egress'], egress: [{ to: [{ namespace_selector: {} }] }] },
    });
  }),
  mutation('tenancy.scope', 'a RoleBinding to ClusterRole cluster-admin', ({ doc, data }) => {
    if (!tenantOnly(data)) return undefined;
    return addResource(doc, 'kubernetes_role_binding_v1', 'mutation', {
      metadata: { name: 'mutation', namespace: `tenant-${data.stack.tenantId}`, labels: { tenant_id: data.stack.tenantId ?? '' } },
      role_ref: { api_group: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
      subject: [{ kind: 'ServiceAccount', name: 'default', namespace: `tenant-${data.stack.tenantId}` }],
    });
  }),
  mutation('tenancy.scope', "an object placed in another tenant's namespace", ({ doc, data }) => {
    if (!tenantOnly(data)) return undefined;
    const r = first(doc, (t, body) => t.startsWith('kubernetes_') && typeof blockOf(body, 'metadata')?.namespace === 'string');
    if (!r) return undefined;
    blockOf(r[2], 'metadata')!.namespace = 'tenant-someone-else';
    return address(r);
  }),
  mutation('tenancy.scope', "a NetworkPolicy admitting another tenant's namespace", ({ doc, data }) => {
    if (!tenantOnly(data)) return undefined;
    const r = first(doc, 'kubernetes_network_policy_v1');
    const spec = r && blockOf(r[2], 'spec');
    if (!r || !spec) return undefined;
    spec.ingress = [{ from: [{ namespace_selector: { match_labels: { 'kubernetes.io/metadata.name': 'tenant-someone-else' } } }] }];
    return address(r);
  }),
  mutation('tenancy.scope', "access widened to every tenant's secrets (rag/<env>/tenants/*)", ({ doc, data }) => {
    if (!tenantOnly(data)) return undefined;
    const prefix = `rag/${data.environment.name}/tenants/`;
    return renameInFirst(doc, `${prefix}${data.stack.tenantId}/`, `${prefix}*`);
  }),
  mutation('tenancy.scope', "another tenant's identity (<env>-tenant-<other>)", ({ doc, data }) => {
    if (!tenantOnly(data)) return undefined;
    const own = `${data.environment.name}-tenant-${data.stack.tenantId}`;
    return renameInFirst(doc, own, `${data.environment.name}-tenant-someone-else`);
  }),
  mutation('tenancy.scope', "reading another tenant's state", ({ doc, data }) => {
    if (!tenantOnly(data)) return undefined;
    const dataSources = (doc.data ??= {}) as JsonObject;
    const remote = (dataSources.terraform_remote_state ??= {}) as JsonObject;
    remote.mutation = { backend: 's3', config: { bucket: 'state', key: `${data.environment.name}/${data.environment.name}-tenant-someone-else.tfstate`, region: 'me-central-1' } };
    return 'data.terraform_remote_state.mutation';
  }),
];

/** Cross-region copies on classified types, written at the attribute level (issue: copies the rules never read). */
const CROSS_REGION_MUTATIONS: readonly Mutation[] = [
  mutation('sovereignty.vpc_endpoint_region', 'a VPC endpoint reaching its service in another region (service_region)', setOnFirst('aws_vpc_endpoint', 'service_region', 'eu-west-1')),
  mutation('sovereignty.kms_multi_region', 'a multi-Region KMS key', setOnFirst('aws_kms_key', 'multi_region', true)),
  mutation('sovereignty.kms_multi_region', 'multi_region = "1" (a Terraform true)', setOnFirst('aws_kms_key', 'multi_region', '1')),
  mutation('sovereignty.vnet_peering', 'a VNet peering to a network the landing zone does not declare', ({ doc }) => {
    const vnet = first(doc, 'azurerm_virtual_network');
    if (!vnet) return undefined;
    return addResource(doc, 'azurerm_virtual_network_peering', 'mutation', {
      name: 'to-elsewhere',
      resource_group_name: String(vnet[2].resource_group_name ?? 'rg'),
      virtual_network_name: String(vnet[2].name ?? 'vnet'),
      remote_virtual_network_id: '/subscriptions/99999999-0000-4000-8000-000000000000/resourceGroups/x/providers/Microsoft.Network/virtualNetworks/westeurope-vnet',
    });
  }),
  mutation('sovereignty.log_destination', 'flow logs / diagnostic settings sent to a literal destination id (could be anywhere)', ({ doc }) => {
    const r = first(doc, (t) => ['aws_flow_log', 'azurerm_monitor_diagnostic_setting', 'azurerm_network_watcher_flow_log'].includes(t));
    const vpc = first(doc, 'aws_vpc');
    if (!r && vpc) {
      return addResource(doc, 'aws_flow_log', 'mutation', { vpc_id: `\${${address(vpc)}.id}`, traffic_type: 'ALL', log_destination_type: 's3', log_destination: 'arn:aws:s3:::central-logs-eu-west-1' });
    }
    if (!r) return undefined;
    if (r[0] === 'aws_flow_log') r[2].log_destination = 'arn:aws:s3:::central-logs-eu-west-1';
    else if (r[0] === 'azurerm_monitor_diagnostic_setting') r[2].log_analytics_workspace_id = '/subscriptions/x/resourceGroups/y/providers/Microsoft.OperationalInsights/workspaces/westeurope';
    else r[2].storage_account_id = '/subscriptions/x/resourceGroups/y/providers/Microsoft.Storage/storageAccounts/westeurope';
    return address(r);
  }),
  mutation('sovereignty.backup_destination', 'a CloudNativePG Cluster backing up to a literal bucket (could be anywhere)', ({ doc, data }) => {
    if (!['addons', 'workloads'].includes(data.stack.kind)) return undefined;
    return addResource(doc, 'kubernetes_manifest', 'mutation', { manifest: cnpgCluster(data, 's3://central-backups-eu-west-1/postgres') });
  }),
  mutation('sovereignty.backup_destination', 'a Barman Cloud plugin ObjectStore writing to a literal URL (could be anywhere)', ({ doc, data }) => {
    if (!['addons', 'workloads'].includes(data.stack.kind)) return undefined;
    return addResource(doc, 'kubernetes_manifest', 'mutation_store', {
      manifest: {
        apiVersion: 'barmancloud.cnpg.io/v1',
        kind: 'ObjectStore',
        metadata: { name: 'copy', namespace: 'data' },
        spec: { configuration: { destinationPath: 'https://westeuropebackups.blob.core.windows.net/postgres' } },
      },
    });
  }),
  mutation('sovereignty.backup_destination', 'an Azure object replication policy copying blobs to an account outside the stack', ({ doc }) => {
    const account = first(doc, 'azurerm_storage_account');
    if (!account) return undefined;
    return addResource(doc, 'azurerm_storage_object_replication', 'mutation', {
      source_storage_account_id: `\${${address(account)}.id}`,
      destination_storage_account_id: '/subscriptions/x/resourceGroups/y/providers/Microsoft.Storage/storageAccounts/westeuropecopy',
      rules: [{ source_container_name: 'platform', destination_container_name: 'copy' }],
    });
  }),
  mutation('classification.dynamic_block', 'a bucket replication written as a dynamic block', ({ doc }) => {
    const bucket = first(doc, 'aws_s3_bucket');
    if (!bucket) return undefined;
    bucket[2].dynamic = { replication_configuration: { for_each: '${var.replicas}', content: { role: 'arn:aws:iam::111122223333:role/copy' } } };
    return address(bucket);
  }),
  mutation('classification.dynamic_block', 'storage account network rules written as a dynamic block', ({ doc }) => {
    const account = first(doc, 'azurerm_storage_account');
    if (!account) return undefined;
    account[2].dynamic = { network_rules: { for_each: '${var.rules}', content: { default_action: 'Allow' } } };
    return address(account);
  }),
];

/** Images and registries given in shapes the gate once missed (set entries, global registry, expressions). */
const IMAGE_MUTATIONS: readonly Mutation[] = [
  mutation('workloads.image_mirror', 'a foreign registry through a helm set entry (image.registry)', ({ doc }) => {
    const r = first(doc, 'helm_release');
    if (!r) return undefined;
    r[2].set = [...((r[2].set as Json[] | undefined) ?? []), { name: 'image.registry', value: 'ghcr.io' }];
    return address(r);
  }),
  mutation('workloads.image_mirror', 'a foreign global.imageRegistry in the values', ({ doc }) => {
    const r = first(doc, 'helm_release');
    if (!r) return undefined;
    appendValues(r[2], { global: { imageRegistry: 'docker.io' } });
    return address(r);
  }),
  mutation('workloads.image_mirror', 'an image under the mirror whose repository is an expression', ({ doc, data }) => {
    const r = first(doc, 'helm_release');
    if (!r) return undefined;
    appendValues(r[2], { sidecar: { image: `${data.environment.imageMirror}/\${var.repository}:1.0` } });
    return address(r);
  }),
];

/**
 * Compliant variants: changes that keep a stack compliant in a shape the gate once misread (false
 * denials). The gate must pass each of them.
 */
/** A CloudNativePG Cluster (image from the mirror) whose in-tree object store writes to `destinationPath`. */
function cnpgCluster(data: PolicyData, destinationPath: string): JsonObject {
  return {
    apiVersion: 'postgresql.cnpg.io/v1',
    kind: 'Cluster',
    metadata: { name: 'variant-postgres', namespace: 'data' },
    spec: {
      instances: 2,
      imageName: `${data.environment.imageMirror}/cloudnative-pg/postgresql:18.1-system-trixie`,
      backup: { barmanObjectStore: { destinationPath, s3Credentials: { inheritFromIAMRole: true } } },
    },
  };
}

export const COMPLIANT_VARIANTS: ReadonlyArray<{ readonly description: string; apply(target: MutationTarget): boolean }> = [
  {
    description: "a CloudNativePG Cluster backing up to the platform bucket read from the platform stack's state",
    apply: ({ doc, data }) => {
      if (!['addons', 'workloads'].includes(data.stack.kind)) return false;
      const sources = ((doc.data ??= {}) as JsonObject).terraform_remote_state as JsonObject | undefined;
      const remote = Object.keys(sources ?? {})[0] ?? 'platform';
      if (sources === undefined) (doc.data as JsonObject).terraform_remote_state = { platform: { backend: 's3', config: {} } };
      addResource(doc, 'kubernetes_manifest', 'variant_cnpg', { manifest: cnpgCluster(data, `s3://\${data.terraform_remote_state.${remote}.outputs.bucket}/postgres`) });
      return true;
    },
  },
  {
    description: 'the image mirror given once as global.imageRegistry (values) and as a set entry',
    apply: ({ doc, data }) => {
      const releases = all(doc, 'helm_release');
      releases.forEach(([, , body]) => {
        appendValues(body, { global: { imageRegistry: data.environment.imageMirror } });
        body.set = [...((body.set as Json[] | undefined) ?? []), { name: 'global.imageRegistry', value: data.environment.imageMirror }];
      });
      return releases.length > 0;
    },
  },
  {
    description: 'a CRD-only chart (prometheus-operator-crds) that sets no image',
    apply: ({ doc, data }) => {
      if (!clusterStack(data) || data.stack.kind === 'tenant') return false;
      addResource(doc, 'helm_release', 'variant_crds', { name: 'prometheus-operator-crds', chart: 'prometheus-operator-crds', repository: data.environment.chartMirror, version: '24.0.1', namespace: 'observability' });
      return true;
    },
  },
  {
    description: "a VPC endpoint with service_region = the environment's region, a KMS key with multi_region = \"0\"",
    apply: ({ doc, data }) => {
      const endpoint = first(doc, 'aws_vpc_endpoint');
      const key = first(doc, 'aws_kms_key');
      if (endpoint) endpoint[2].service_region = data.environment.permittedRegions.aws[0];
      if (key) key[2].multi_region = '0';
      return endpoint !== undefined || key !== undefined;
    },
  },
  {
    description: "VNet peerings to the landing zone's declared hub and back from it to this stack's VNet",
    apply: ({ doc, data }) => {
      const vnet = first(doc, 'azurerm_virtual_network');
      const [hub] = data.environment.peerNetworks;
      if (!vnet || hub === undefined) return false;
      addResource(doc, 'azurerm_virtual_network_peering', 'variant-to-hub', { name: 'to-hub', resource_group_name: 'rg', virtual_network_name: 'spoke', remote_virtual_network_id: hub });
      addResource(doc, 'azurerm_virtual_network_peering', 'variant-from-hub', { name: 'to-spoke', resource_group_name: 'hub-network', virtual_network_name: 'hub-vnet', remote_virtual_network_id: `\${${address(vnet)}.id}` });
      return true;
    },
  },
  {
    description: 'map_public_ip_on_launch = "0" and "false" (Terraform falses)',
    apply: ({ doc }) => {
      const subnets = all(doc, 'aws_subnet');
      subnets.forEach(([, , body], i) => (body.map_public_ip_on_launch = i % 2 === 0 ? '0' : 'false'));
      return subnets.length > 0;
    },
  },
  {
    description: 'enable_key_rotation = "1" (a Terraform true)',
    apply: ({ doc }) => {
      const keys = all(doc, 'aws_kms_key');
      keys.forEach(([, , body]) => (body.enable_key_rotation = '1'));
      return keys.length > 0;
    },
  },
  {
    description: "LoadBalancer Service with this cloud's internal annotation",
    apply: ({ doc, data }) => {
      if (!clusterStack(data) || data.stack.kind === 'tenant') return false;
      addResource(doc, 'kubernetes_service_v1', 'variant', {
        metadata: { name: 'variant', namespace: 'default', annotations: OWN_CLOUD_INTERNAL[data.environment.cloud] },
        spec: { type: 'LoadBalancer', port: [{ port: 443 }] },
      });
      return true;
    },
  },
  {
    description: 'an in-region Bedrock model by its plain id and a runtime endpoint of its region',
    apply: ({ doc, data }) => {
      const r = first(doc, isLiteLLM);
      const region = data.environment.permittedRegions.aws[0];
      if (!r || region === undefined) return false;
      appendValues(r[2], {
        proxy_config: {
          model_list: [
            { model_name: 'variant-a', litellm_params: { model: 'bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0', aws_region_name: region } },
            { model_name: 'variant-b', litellm_params: { model: 'bedrock/converse/meta.llama3-70b-instruct-v1:0', aws_region_name: region, aws_bedrock_runtime_endpoint: `https://bedrock-runtime.${region}.amazonaws.com` } },
          ],
          litellm_settings: { callbacks: ['prometheus'] },
        },
      });
      return true;
    },
  },
];

export const MUTATIONS: readonly Mutation[] = [
  ...VALUE_SHAPE_MUTATIONS,
  ...TENANT_SCOPE_MUTATIONS,
  ...CROSS_REGION_MUTATIONS,
  ...IMAGE_MUTATIONS,
  unclassified('a resource type nobody classified (a backup plan that can copy cross-region)', ({ doc }) =>
    addResource(doc, 'aws_backup_plan', 'mutation', { name: 'copy', rule: [{ rule_name: 'r', target_vault_name: 'v', copy_action: [{ destination_vault_arn: 'arn:aws:backup:eu-west-1:111122223333:backup-vault:x' }] }] }),
  ),
  unclassified('a provider from the Cloud Control API family in another region', ({ doc }) => {
    const providers = (doc.provider ??= {}) as JsonObject;
    providers.awscc = [{ region: 'eu-west-1' }];
    return 'provider.awscc';
  }),
  unclassified('a provider plugin from another namespace', ({ doc }) => {
    const required = (terraformBlock(doc).required_providers ??= {}) as JsonObject;
    required.kubernetes = { source: 'someone/kubernetes', version: '1.0.0' };
    return 'terraform.required_providers.kubernetes';
  }),
  unclassified('state and runs sent to a SaaS (terraform cloud block)', ({ doc }) => {
    terraformBlock(doc).cloud = { organization: 'someone', workspaces: { name: 'prod' } };
    return 'terraform.cloud';
  }),
  unclassified('a data source nobody classified (reads an object of another region)', ({ doc }) => {
    const dataSources = (doc.data ??= {}) as JsonObject;
    dataSources.aws_s3_object = { mutation: { bucket: 'elsewhere-eu-west-1', key: 'k' } };
    return 'data.aws_s3_object.mutation';
  }),
  unclassified('a module pulled from a registry', ({ doc }) => {
    doc.module = { vpc: { source: 'terraform-aws-modules/vpc/aws' } };
    return 'module';
  }),
  unclassified('a Kubernetes kind nobody classified (a Velero schedule shipping backups out)', ({ doc, data }) => {
    if (!['addons', 'workloads', 'tenant'].includes(data.stack.kind)) return undefined;
    return addResource(doc, 'kubernetes_manifest', 'mutation', { manifest: { apiVersion: 'velero.io/v1', kind: 'Schedule', metadata: { name: 'copy', namespace: 'velero' } } });
  }),
  unclassified('a network resource in a tenant stack', ({ doc, data }) =>
    tenantOnly(data) ? addResource(doc, 'aws_vpc', 'mutation', { cidr_block: '10.9.0.0/16' }) : undefined,
  ),
  {
    rule: 'sovereignty.aws_region',
    description: 'aws provider region outside the profile',
    apply: ({ doc }) => {
      const p = awsProvider(doc);
      if (!p) return undefined;
      p.region = 'eu-west-1';
      return { address: 'provider.aws' };
    },
  },
  {
    rule: 'sovereignty.azure_location',
    description: 'azurerm resource in West Europe',
    apply: ({ doc }) => {
      const r = first(doc, (t, body) => t.startsWith('azurerm_') && typeof body.location === 'string' && !String(body.location).includes('${'));
      if (!r) return undefined;
      r[2].location = 'westeurope';
      return { address: address(r) };
    },
  },
  {
    rule: 'sovereignty.s3_replication',
    description: 'S3 bucket replication configuration',
    apply: ({ doc }) => {
      const bucket = first(doc, 'aws_s3_bucket');
      if (!bucket) return undefined;
      return {
        address: addResource(doc, 'aws_s3_bucket_replication_configuration', 'mutation', {
          bucket: `\${${address(bucket)}.id}`,
          role: 'arn:aws:iam::111122223333:role/replication',
          rule: [{ id: 'all', status: 'Enabled', destination: { bucket: 'arn:aws:s3:::elsewhere' } }],
        }),
      };
    },
  },
  {
    rule: 'sovereignty.ecr_replication',
    description: 'ECR replication to another region',
    apply: ({ doc }) =>
      awsProvider(doc)
        ? {
            address: addResource(doc, 'aws_ecr_replication_configuration', 'mutation', {
              replication_configuration: { rule: [{ destination: [{ region: 'eu-west-1', registry_id: '111122223333' }] }] },
            }),
          }
        : undefined,
  },
  {
    rule: 'sovereignty.acr_georeplication',
    description: 'ACR geo-replica in West Europe',
    apply: ({ doc }) => {
      const r = first(doc, 'azurerm_container_registry');
      if (!r) return undefined;
      r[2].georeplications = [{ location: 'westeurope', zone_redundancy_enabled: false }];
      return { address: address(r) };
    },
  },
  {
    rule: 'sovereignty.storage_replication',
    description: 'storage account GRS',
    apply: ({ doc }) => {
      const r = first(doc, 'azurerm_storage_account');
      if (!r) return undefined;
      r[2].account_replication_type = 'GRS';
      return { address: address(r) };
    },
  },
  {
    rule: 'sovereignty.llm_endpoint',
    description: 'LiteLLM model on a public SaaS endpoint',
    apply: ({ doc }) => {
      const r = first(doc, isLiteLLM);
      if (!r) return undefined;
      appendValues(r[2], { proxy_config: { model_list: [{ model_name: 'mutation', litellm_params: { model: 'openai/gpt-4o' } }] } });
      return { address: address(r) };
    },
  },
  {
    rule: 'exposure.eks_public_endpoint',
    description: 'EKS public endpoint',
    apply: ({ doc }) => {
      const r = first(doc, 'aws_eks_cluster');
      const vpc = r && blockOf(r[2], 'vpc_config');
      if (!r || !vpc) return undefined;
      vpc.endpoint_public_access = true;
      return { address: address(r) };
    },
  },
  {
    rule: 'exposure.aks_private_cluster',
    description: 'AKS public API',
    apply: ({ doc }) => {
      const r = first(doc, 'azurerm_kubernetes_cluster');
      if (!r) return undefined;
      r[2].private_cluster_enabled = false;
      return { address: address(r) };
    },
  },
  {
    rule: 'exposure.subnet_public_ip',
    description: 'subnet maps public IPs',
    apply: ({ doc }) => {
      const r = first(doc, 'aws_subnet');
      if (!r) return undefined;
      r[2].map_public_ip_on_launch = true;
      return { address: address(r) };
    },
  },
  {
    rule: 'exposure.launch_template_public_ip',
    description: 'launch template associates a public IP',
    apply: ({ doc }) => {
      const r = first(doc, 'aws_launch_template');
      if (!r) return undefined;
      r[2].network_interfaces = [{ associate_public_ip_address: 'true', device_index: 0 }];
      return { address: address(r) };
    },
  },
  {
    rule: 'exposure.public_load_balancer',
    description: 'internet-facing aws_lb',
    apply: ({ doc }) =>
      awsProvider(doc) ? { address: addResource(doc, 'aws_lb', 'mutation', { internal: false, load_balancer_type: 'network' }) } : undefined,
  },
  {
    rule: 'exposure.azure_public_ip',
    description: 'azurerm_public_ip',
    apply: ({ doc }) =>
      first(doc, (t) => t.startsWith('azurerm_'))
        ? {
            address: addResource(doc, 'azurerm_public_ip', 'mutation', {
              name: 'mutation', location: 'uaenorth', resource_group_name: 'rg', allocation_method: 'Static',
            }),
          }
        : undefined,
  },
  {
    rule: 'exposure.internet_gateway',
    description: 'internet gateway',
    apply: ({ doc }) => {
      const vpc = first(doc, 'aws_vpc');
      if (!vpc) return undefined;
      return { address: addResource(doc, 'aws_internet_gateway', 'mutation', { vpc_id: `\${${address(vpc)}.id}` }) };
    },
  },
  {
    rule: 'exposure.public_network_access',
    description: 'key vault / registry / storage with public network access',
    apply: ({ doc }) => {
      const r = first(doc, (t) => ['azurerm_key_vault', 'azurerm_container_registry', 'azurerm_storage_account'].includes(t));
      if (!r) return undefined;
      r[2].public_network_access_enabled = true;
      return { address: address(r) };
    },
  },
  {
    rule: 'exposure.s3_public_access_block',
    description: 'bucket without a full public access block',
    apply: ({ doc }) => {
      const bucket = first(doc, 'aws_s3_bucket');
      if (!bucket) return undefined;
      for (const [, , pab] of all(doc, 'aws_s3_bucket_public_access_block')) {
        if (String(pab.bucket ?? '').includes(`\${${address(bucket)}.`)) pab.block_public_policy = false;
      }
      return { address: address(bucket) };
    },
  },
  {
    rule: 'exposure.k8s_public_load_balancer',
    description: 'internet-facing LoadBalancer Service',
    apply: ({ doc }) => ({
      address: addResource(doc, 'kubernetes_service_v1', 'mutation', {
        metadata: { name: 'mutation', namespace: 'default', annotations: { 'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internet-facing' } },
        spec: { type: 'LoadBalancer', selector: { app: 'x' }, port: [{ port: 443 }] },
      }),
    }),
  },
  {
    rule: 'encryption.eks_secrets',
    description: 'EKS without secrets encryption',
    apply: ({ doc }) => {
      const r = first(doc, 'aws_eks_cluster');
      if (!r) return undefined;
      delete r[2].encryption_config;
      return { address: address(r) };
    },
  },
  {
    rule: 'encryption.node_disks',
    description: 'launch template with an unencrypted disk',
    apply: ({ doc }) => {
      const r = first(doc, 'aws_launch_template');
      if (!r) return undefined;
      r[2].block_device_mappings = [{ device_name: '/dev/xvda', ebs: { encrypted: 'false', volume_size: 50 } }];
      return { address: address(r) };
    },
  },
  {
    rule: 'encryption.s3_kms',
    description: 'bucket default encryption AES256',
    apply: ({ doc }) => {
      const bucket = first(doc, 'aws_s3_bucket');
      if (!bucket) return undefined;
      for (const [, , sse] of all(doc, 'aws_s3_bucket_server_side_encryption_configuration')) {
        for (const rule of (Array.isArray(sse.rule) ? sse.rule : [sse.rule]) as JsonObject[]) {
          const byDefault = rule && blockOf(rule, 'apply_server_side_encryption_by_default');
          if (byDefault) byDefault.sse_algorithm = 'AES256';
        }
      }
      return { address: address(bucket) };
    },
  },
  {
    rule: 'encryption.k8s_claim_class',
    description: 'a PersistentVolumeClaim on the cluster default class',
    apply: ({ doc }) => {
      // The fixtures have no standalone claim: a cluster stack gets one (the Qdrant backup's, classless).
      if (!first(doc, 'kubernetes_namespace_v1') && !first(doc, 'kubernetes_network_policy_v1')) return undefined;
      const resources = doc.resource as JsonObject;
      resources.kubernetes_persistent_volume_claim_v1 = {
        ...((resources.kubernetes_persistent_volume_claim_v1 as JsonObject | undefined) ?? {}),
        mutated_claim: { metadata: { name: 'qdrant-backup-work', namespace: 'vectordb' }, spec: { access_modes: ['ReadWriteOnce'] } },
      };
      return { address: 'kubernetes_persistent_volume_claim_v1.mutated_claim' };
    },
  },
  {
    rule: 'encryption.ecr_kms',
    description: 'ECR with AES256',
    apply: ({ doc }) => {
      const r = first(doc, 'aws_ecr_repository');
      if (!r) return undefined;
      r[2].encryption_configuration = [{ encryption_type: 'AES256' }];
      return { address: address(r) };
    },
  },
  ...(['aws_cloudwatch_log_group', 'aws_secretsmanager_secret'] as const).map(
    (type): Mutation => ({
      rule: type === 'aws_cloudwatch_log_group' ? 'encryption.log_group_kms' : 'encryption.secret_kms',
      description: `${type} without kms_key_id`,
      apply: ({ doc }) => {
        const r = first(doc, type);
        if (!r) return undefined;
        delete r[2].kms_key_id;
        return { address: address(r) };
      },
    }),
  ),
  {
    rule: 'encryption.kms_rotation',
    description: 'KMS key without rotation',
    apply: ({ doc }) => {
      const r = first(doc, 'aws_kms_key');
      if (!r) return undefined;
      r[2].enable_key_rotation = false;
      return { address: address(r) };
    },
  },
  {
    rule: 'encryption.kms_deletion_window',
    description: 'KMS deletion window of 5 days',
    apply: ({ doc }) => {
      const r = first(doc, 'aws_kms_key');
      if (!r) return undefined;
      r[2].deletion_window_in_days = 5;
      return { address: address(r) };
    },
  },
  ...(
    [
      ['encryption.aks_kms', 'azurerm_kubernetes_cluster', 'key_management_service'],
      ['encryption.aks_disk_encryption_set', 'azurerm_kubernetes_cluster', 'disk_encryption_set_id'],
      ['encryption.key_rotation_azure', 'azurerm_key_vault_key', 'rotation_policy'],
      ['encryption.storage_cmk', 'azurerm_storage_account', 'customer_managed_key'],
      ['encryption.acr_cmk', 'azurerm_container_registry', 'encryption'],
    ] as const
  ).map(
    ([rule, type, attr]): Mutation => ({
      rule,
      description: `${type} without ${attr}`,
      apply: ({ doc }) => {
        const r = first(doc, type);
        if (!r) return undefined;
        delete r[2][attr];
        return { address: address(r) };
      },
    }),
  ),
  {
    rule: 'encryption.aks_host_encryption',
    description: 'node pool without host encryption',
    apply: ({ doc }) => {
      const r = first(doc, 'azurerm_kubernetes_cluster_node_pool');
      if (!r) return undefined;
      r[2].host_encryption_enabled = false;
      return { address: address(r) };
    },
  },
  {
    rule: 'encryption.key_vault_purge_protection',
    description: 'key vault without purge protection',
    apply: ({ doc }) => {
      const r = first(doc, 'azurerm_key_vault');
      if (!r) return undefined;
      r[2].purge_protection_enabled = false;
      return { address: address(r) };
    },
  },
  {
    rule: 'workloads.gpu_taint',
    description: 'GPU node group without the nvidia.com/gpu taint',
    apply: ({ doc }) => {
      const aws = first(doc, (t, body) => t === 'aws_eks_node_group' && String(body.ami_type ?? '').includes('NVIDIA'));
      if (aws) {
        delete aws[2].taint;
        return { address: address(aws) };
      }
      const azure = first(doc, (t, body) => t === 'azurerm_kubernetes_cluster_node_pool' && /^standard_n[cdv]/i.test(String(body.vm_size ?? '')));
      if (!azure) return undefined;
      azure[2].node_taints = [];
      return { address: address(azure) };
    },
  },
  {
    rule: 'workloads.chart_version',
    description: 'chart version range',
    apply: ({ doc }) => {
      const r = first(doc, 'helm_release');
      if (!r) return undefined;
      r[2].version = '^1.0.0';
      return { address: address(r) };
    },
  },
  {
    rule: 'workloads.chart_source',
    description: 'chart from a public repository',
    apply: ({ doc }) => {
      const r = first(doc, 'helm_release');
      if (!r) return undefined;
      r[2].repository = 'https://charts.example.com';
      return { address: address(r) };
    },
  },
  {
    rule: 'workloads.image_mirror',
    description: 'image from Docker Hub',
    apply: ({ doc }) => {
      const r = first(doc, 'helm_release');
      if (!r) return undefined;
      appendValues(r[2], { mutation: { image: { repository: 'docker.io/library/busybox', tag: '1.36' } } });
      return { address: address(r) };
    },
  },
  {
    rule: 'workloads.image_tag',
    description: 'image :latest from the mirror',
    apply: ({ doc, data }) => {
      const r = first(doc, 'helm_release');
      if (!r) return undefined;
      appendValues(r[2], { mutation: { image: { repository: `${data.environment.imageMirror}/busybox`, tag: 'latest' } } });
      return { address: address(r) };
    },
  },
  {
    rule: 'workloads.secret_literal',
    description: 'literal password in Helm values',
    apply: ({ doc }) => {
      const r = first(doc, 'helm_release');
      if (!r) return undefined;
      appendValues(r[2], { auth: { password: 'mutation-literal' } });
      return { address: address(r) };
    },
  },
  {
    rule: 'tenancy.tenant_id',
    description: 'tenant stack without tenantId',
    apply: ({ data }) => {
      if (!tenantOnly(data)) return undefined;
      const stack: PolicyStack = { name: data.stack.name, kind: data.stack.kind };
      return { address: stackAddress(stack), data: { environment: data.environment, stack } };
    },
  },
  ...(
    [
      ['tenancy.resource_quota', ['kubernetes_resource_quota', 'kubernetes_resource_quota_v1'], ['ResourceQuota']],
      ['tenancy.limit_range', ['kubernetes_limit_range', 'kubernetes_limit_range_v1'], ['LimitRange']],
      ['tenancy.network_policy', ['kubernetes_network_policy', 'kubernetes_network_policy_v1'], ['NetworkPolicy', 'CiliumNetworkPolicy']],
    ] as const
  ).map(
    ([rule, types, kinds]): Mutation => ({
      rule,
      description: `tenant stack without ${kinds.join('/')}`,
      apply: ({ doc, data }) =>
        tenantOnly(data) && removeAll(doc, [...types], [...kinds]) ? { address: stackAddress(data.stack) } : undefined,
    }),
  ),
  {
    rule: 'tenancy.llm_budget',
    description: 'tenant stack without a LiteLLM budget label',
    apply: ({ doc, data }) => {
      if (!tenantOnly(data)) return undefined;
      for (const [, , body] of resourcesOf(doc)) {
        delete labelsOf(body)?.['rag.platform/budget'];
        const metadata = blockOf(body, 'metadata');
        delete (metadata?.annotations as JsonObject | undefined)?.['rag.platform/budget'];
      }
      return { address: stackAddress(data.stack) };
    },
  },
  {
    rule: 'tenancy.tenant_label',
    description: 'tenant resource labelled for another tenant',
    apply: ({ doc, data }) => {
      if (!tenantOnly(data)) return undefined;
      const r = first(doc, (t, body) => t.startsWith('kubernetes_') && labelsOf(body)?.tenant_id !== undefined);
      if (!r) return undefined;
      labelsOf(r[2])!.tenant_id = 'someone-else';
      return { address: address(r) };
    },
  },
  {
    rule: 'tags.required',
    description: 'required tag missing',
    apply: ({ doc, data }) => {
      const [key] = data.environment.requiredTags;
      if (key === undefined) return undefined;
      const p = awsProvider(doc);
      const target = first(doc, (t, body) => (t.startsWith('aws_') || t.startsWith('azurerm_')) && body.tags !== undefined);
      if (!target) return undefined;
      const defaultTags = p && blockOf(p, 'default_tags');
      delete (defaultTags?.tags as JsonObject | undefined)?.[key];
      for (const [, , body] of resourcesOf(doc)) delete (body.tags as JsonObject | undefined)?.[key];
      return { address: address(target) };
    },
  },
];
