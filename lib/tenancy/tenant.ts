import { Construct } from 'constructs';
import { Aspects } from 'cdktf';
import { ClusterInfo } from '../cluster/cluster-info';
import { TenantConfig } from '../config/schema';
import { ImageKey } from '../versions';
import { TenantNamespace } from './namespace';
import { TenantResourceQuota } from './resource-quota';
import { TenantLimitRange } from './limit-range';
import { TenantNetworkPolicies } from './network-policy';
import { TenantIdentity } from './identity';
import { TenantCredentials } from './credentials';
import { TenantControllerStores } from './controller-store';
import { TenantLlmKey } from './litellm-key';
import { TenantEmbeddingsKey } from './embeddings-key';
import { GeneratedTenantSecret } from './generated-secret';
import { TenantScope } from './scope';
import { INGESTION_METRICS, ingestionWorkerSelector, TenantIngestion } from './ingestion';
import { tenantQueue } from './queue';
import { TenantQueueAcl } from './queue-acl';
import { TenantCloudTags } from './cloud-tags';
import { tenantNamespaceName, tenantObjectName } from './labels';
import { TenantOperations } from './operations';
import { TenantOffboarding } from './offboarding';
import { PLATFORM_NAMESPACES } from './platform-contract';
import { mirroredImage } from './image';
import { TENANT_SECRET_KEYS, tenantSecretPath, tenantSecretPrefix } from './secret-paths';

export interface TenantProps {
  readonly environment: string;
  readonly tenant: TenantConfig;
  /** The orchestrator image (`<repository>:<tag>` inside the mirror): the ingestion workers run it too. */
  readonly workerImage: { readonly repository: string; readonly tag: string };
  /** `versions.images` overrides of the environment. */
  readonly imageOverrides: Partial<Record<ImageKey, string>>;
}

/**
 * Everything one tenant owns, declared in one place and scoped to the tenant by construction: its
 * namespace (restricted, quota, limits, default-deny network), its LiteLLM team and key with budget and
 * rate limits, its embeddings key with its monthly token cap, its credentials (secret-store paths under `rag/<env>/tenants/<id>/`, delivered through
 * external-secrets), its workload identity, its ingestion workers scaled on its own queue, and the
 * `tenant_id` label/tag on all of it. Nothing here names another tenant: the only inputs are this tenant's
 * config and ClusterInfo. Construct ids are API (renaming one replaces the object).
 */
export class Tenant extends Construct {
  readonly id: string;
  readonly namespace: TenantNamespace;

  constructor(scope: Construct, id: string, cluster: ClusterInfo, props: TenantProps) {
    super(scope, id);
    const { tenant, environment } = props;
    if (!tenant.id) {
      // The schema already rejects this; the construct refuses too, because there is no default tenant.
      throw new Error('a tenant needs an id: there is no default tenant');
    }
    this.id = tenant.id;
    Aspects.of(this).add(new TenantCloudTags(tenant.id));

    this.namespace = new TenantNamespace(this, 'namespace', { tenantId: tenant.id, dataClassification: tenant.dataClassification });
    // A reference, not the literal name: everything in the namespace is created after it, deleted before it.
    const namespace = this.namespace.namespace.metadata.name;
    new TenantResourceQuota(this, 'quota', { tenantId: tenant.id, namespace, ...tenant.quota });
    new TenantLimitRange(this, 'limits', { tenantId: tenant.id, namespace });
    new TenantNetworkPolicies(this, 'network', { tenantId: tenant.id, namespace, metrics: { pods: ingestionWorkerSelector(tenant.id), port: INGESTION_METRICS.port } });

    const store = cluster.secretStore;
    const paths = {
      litellmKey: tenantSecretPath(environment, tenant.id, TENANT_SECRET_KEYS.litellmKey, store),
      litellmEmbeddingsKey: tenantSecretPath(environment, tenant.id, TENANT_SECRET_KEYS.litellmEmbeddingsKey, store),
      queuePassword: tenantSecretPath(environment, tenant.id, TENANT_SECRET_KEYS.queuePassword, store),
    };
    const identity = new TenantIdentity(this, 'identity', cluster, {
      tenantId: tenant.id,
      namespace,
      secretPrefix: tenantSecretPrefix(environment, tenant.id, store),
    });
    // Where the platform's side (PushSecrets, provisioning Jobs) reaches the tenant's secrets.
    const controllerStores = new TenantControllerStores(this, 'controller-stores', {
      tenantId: tenant.id,
      provider: identity.binding.controllerSecretStoreProvider,
      dependsOn: identity.binding.resources,
    });
    const queue = tenantQueue(tenant.id, tenant.ingestion.maxDeliveries);
    const queuePassword = new GeneratedTenantSecret(this, 'queue-password', {
      tenantId: tenant.id,
      namespace: PLATFORM_NAMESPACES.data,
      name: tenantObjectName(tenant.id, 'queue-password'),
      remoteKey: paths.queuePassword,
      length: 32,
      component: 'queue',
      pushMetadata: store.pushSecretMetadata,
      store: controllerStores.in(PLATFORM_NAMESPACES.data),
    });
    const valkeyImage = mirroredImage(cluster.imageMirror, 'valkey', props.imageOverrides);
    const queueAcl = new TenantQueueAcl(this, 'queue-acl', {
      tenantId: tenant.id,
      queue,
      passwordRemoteKey: paths.queuePassword,
      store: controllerStores.in(PLATFORM_NAMESPACES.data),
      image: valkeyImage,
      dependsOn: [queuePassword.pushSecret],
    });
    const provisionerImage = mirroredImage(cluster.imageMirror, 'tenant-provisioner', props.imageOverrides);
    const llmKey = new TenantLlmKey(this, 'litellm', {
      tenantId: tenant.id,
      displayName: tenant.displayName,
      environment,
      monthlyBudgetUsd: tenant.llm.monthlyBudgetUsd,
      requestsPerMinute: tenant.llm.requestsPerMinute,
      tokensPerMinute: tenant.llm.tokensPerMinute,
      ...(tenant.llm.maxParallelRequests === undefined ? {} : { maxParallelRequests: tenant.llm.maxParallelRequests }),
      allowedModels: tenant.llm.allowedModels,
      remoteKey: paths.litellmKey,
      pushMetadata: store.pushSecretMetadata,
      store: controllerStores.in(PLATFORM_NAMESPACES.llmGateway),
      image: provisionerImage,
    });
    // The embeddings cap, enforced by LiteLLM (TEI admits nobody else).
    const embeddingsKey = new TenantEmbeddingsKey(this, 'embeddings-key', {
      tenantId: tenant.id,
      environment,
      monthlyTokenCap: tenant.embeddings.monthlyTokenCap,
      remoteKey: paths.litellmEmbeddingsKey,
      pushMetadata: store.pushSecretMetadata,
      store: controllerStores.in(PLATFORM_NAMESPACES.llmGateway),
      image: provisionerImage,
    });
    if (tenant.offboard) {
      // Removal, step 1: undo what the provisioning Jobs created outside Terraform's state; the destroy of
      // this stack (step 2) removes everything else.
      new TenantOffboarding(this, 'offboarding', { tenantId: tenant.id, queue, provisionerImage, valkeyImage, after: [llmKey.job, embeddingsKey.job, queueAcl.job] });
    }
    const credentials = new TenantCredentials(this, 'credentials', {
      tenantId: tenant.id,
      namespace,
      secretStoreProvider: identity.secretStoreProvider,
      litellmKeyPath: paths.litellmKey,
      litellmEmbeddingsKeyPath: paths.litellmEmbeddingsKey,
      queuePasswordPath: paths.queuePassword,
      queueUsername: queue.username,
    });
    new TenantScope(this, 'scope', {
      tenantId: tenant.id,
      namespace,
      tier: tenant.tier,
      dataClassification: tenant.dataClassification,
      allowedModels: tenant.llm.allowedModels,
      embeddingsMonthlyTokenCap: tenant.embeddings.monthlyTokenCap,
      qdrantCollections: tenant.corpora,
    });
    const ingestion = new TenantIngestion(this, 'ingestion', {
      tenantId: tenant.id,
      namespace,
      serviceAccountName: identity.serviceAccountName,
      podLabels: identity.binding.podLabels,
      image: `${cluster.imageMirror}/${props.workerImage.repository}:${props.workerImage.tag}`,
      placement: cluster.pools.general,
      queue,
      credentialsSecret: credentials.secretName,
      minReplicas: tenant.ingestion.minReplicas,
      maxReplicas: tenant.ingestion.maxReplicas,
      lagPerReplica: tenant.ingestion.lagPerReplica,
    });
    new TenantOperations(this, 'operations', {
      tenantId: tenant.id,
      namespace,
      namespaceName: tenantNamespaceName(tenant.id),
      monthlyBudgetUsd: tenant.llm.monthlyBudgetUsd,
      scaledObjectName: ingestion.scaledObjectName,
    });
  }
}
