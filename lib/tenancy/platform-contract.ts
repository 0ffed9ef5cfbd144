import { NS } from '../kubernetes/namespaces';
import { PORTS } from '../kubernetes/network-policies';
import { CLUSTER_SECRET_STORE } from '../kubernetes/external-secret';
import { ORCHESTRATOR_RELEASE, ORCHESTRATOR_SERVICE_ACCOUNT as ORCHESTRATOR_SA_NAME, ORCHESTRATOR_SERVICE_PORT } from '../components/orchestrator';
import { EMBEDDINGS_MODEL as WORKLOADS_EMBEDDINGS_MODEL, embeddingsBudgetUsd as workloadsEmbeddingsBudgetUsd, LITELLM_MASTER_KEY_SECRET as WORKLOADS_LITELLM_MASTER_KEY_SECRET, LITELLM_RELEASE } from '../components/litellm';
import { QDRANT_RELEASE } from '../components/qdrant';
import { INGESTION_QUEUE_ADMIN_SECRET, INGESTION_QUEUE_RELEASE } from '../components/ingestion-queue';

/**
 * The names a tenant stack relies on in the workloads stack: namespaces, Services and their container
 * ports, the orchestrator's ServiceAccount, the ClusterSecretStore and the admin Secrets provisioning Jobs
 * read.
 *
 * Tenant stacks are planned and applied on their own (one workspace per tenant), so they cannot hold object
 * references into the workloads stack's Kubernetes resources without dragging the whole workloads state
 * into every tenant plan. They use names instead, and every name here is imported from the code that
 * creates the object (lib/kubernetes, lib/components): nothing is restated, so the two sides cannot drift
 * apart silently. test/tenancy/platform-contract.test.ts synthesizes both and checks each endpoint against
 * the workloads stack. Renaming one is still a breaking change for every deployed tenant stack.
 */

/** The platform namespaces (created by the addons stack, with their network policies). */
export const PLATFORM_NAMESPACES = {
  orchestrator: NS.ragPlatform,
  embeddings: NS.embeddings,
  vectordb: NS.vectordb,
  llmGateway: NS.llmGateway,
  observability: NS.observability,
  data: NS.data,
  ingress: NS.ingress,
} as const;

export interface PlatformEndpoint {
  readonly namespace: string;
  /** Service name (DNS `<service>.<namespace>.svc`) = the helm release name. */
  readonly service: string;
  /** Container ports: NetworkPolicy matches the pod's port after the Service's translation. */
  readonly ports: readonly number[];
  /** The Service port clients dial (the first container port unless the chart maps it). */
  readonly servicePort: number;
}

/**
 * What tenant pods may reach, and nothing else (besides DNS). Not TEI: embeddings go through LiteLLM with the
 * tenant's embeddings key (EMBEDDINGS_MODEL), and TEI admits only LiteLLM, so the token cap cannot be bypassed.
 */
export const PLATFORM_ENDPOINTS = {
  orchestrator: { namespace: NS.ragPlatform, service: ORCHESTRATOR_RELEASE, ports: [PORTS.orchestrator], servicePort: ORCHESTRATOR_SERVICE_PORT },
  litellm: { namespace: NS.llmGateway, service: LITELLM_RELEASE, ports: [PORTS.litellm], servicePort: PORTS.litellm },
  qdrant: { namespace: NS.vectordb, service: QDRANT_RELEASE, ports: [PORTS.qdrantHttp, PORTS.qdrantGrpc], servicePort: PORTS.qdrantHttp },
  /** The ingestion queue's own Valkey in `data` (not LiteLLM's): carries the tenants' ingestion streams. */
  queue: { namespace: NS.data, service: INGESTION_QUEUE_RELEASE, ports: [PORTS.redis], servicePort: PORTS.redis },
} as const satisfies Record<string, PlatformEndpoint>;

/** The orchestrator's ServiceAccount: the one reader of a tenant's credentials Secret. */
export const ORCHESTRATOR_SERVICE_ACCOUNT = { namespace: NS.ragPlatform, name: ORCHESTRATOR_SA_NAME } as const;

/** The ClusterSecretStore the workloads stack binds to the secret store with external-secrets' identity. */
export const PLATFORM_SECRET_STORE = CLUSTER_SECRET_STORE;

/** How an ExternalSecret or PushSecret names the store it goes through. */
export interface SecretStoreRef {
  readonly name: string;
  readonly kind: 'ClusterSecretStore' | 'SecretStore';
}

export const PLATFORM_SECRET_STORE_REF: SecretStoreRef = { name: PLATFORM_SECRET_STORE, kind: 'ClusterSecretStore' };

/** The Secret (in `llm-gateway`) that holds LiteLLM's master key; only provisioning Jobs there read it. */
export const LITELLM_MASTER_KEY_SECRET = WORKLOADS_LITELLM_MASTER_KEY_SECRET;

/** The Secret (in `data`) with the ingestion queue's admin password; only the tenant ACL Jobs there read it. */
export const QUEUE_ADMIN_SECRET = INGESTION_QUEUE_ADMIN_SECRET;

/** The model name LiteLLM serves TEI under (the tenant's embeddings key may use it and nothing else). */
export const EMBEDDINGS_MODEL = WORKLOADS_EMBEDDINGS_MODEL;

/** The embeddings key's budget for a monthly token cap, at LiteLLM's internal embeddings price. */
export const embeddingsBudgetUsd = workloadsEmbeddingsBudgetUsd;

/** `http://<service>.<namespace>.svc.cluster.local:<servicePort>`. */
export function endpointUrl(endpoint: PlatformEndpoint, scheme = 'http'): string {
  return `${scheme}://${endpointHost(endpoint)}:${endpoint.servicePort}`;
}

export function endpointHost(endpoint: PlatformEndpoint): string {
  return `${endpoint.service}.${endpoint.namespace}.svc.cluster.local`;
}
