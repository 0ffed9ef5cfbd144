/**
 * The names a tenant stack relies on in the workloads stack: namespaces, Services and their container
 * ports, the orchestrator's ServiceAccount, the ClusterSecretStore and the LiteLLM master-key Secret.
 *
 * Tenant stacks are planned and applied on their own (one workspace per tenant), so they cannot hold object
 * references into the workloads stack's Kubernetes resources without dragging the whole workloads state
 * into every tenant plan. These names are therefore a contract: the workloads stack creates objects with
 * exactly these names, and docs/tenancy.md lists what it must provide. Renaming one is a breaking change
 * for every tenant stack.
 */

/** The platform namespaces (created by the workloads stack). */
export const PLATFORM_NAMESPACES = {
  orchestrator: 'rag-platform',
  embeddings: 'embeddings',
  vectordb: 'vectordb',
  llmGateway: 'llm-gateway',
  observability: 'observability',
  data: 'data',
  ingress: 'ingress',
} as const;

export interface PlatformEndpoint {
  readonly namespace: string;
  /** Service name (DNS `<service>.<namespace>.svc`). */
  readonly service: string;
  /** Container ports: NetworkPolicy matches the pod's port after the Service's translation. */
  readonly ports: readonly number[];
}

/** What tenant pods may reach, and nothing else (besides DNS). */
export const PLATFORM_ENDPOINTS = {
  orchestrator: { namespace: PLATFORM_NAMESPACES.orchestrator, service: 'orchestrator', ports: [8080] },
  litellm: { namespace: PLATFORM_NAMESPACES.llmGateway, service: 'litellm', ports: [4000] },
  qdrant: { namespace: PLATFORM_NAMESPACES.vectordb, service: 'qdrant', ports: [6333, 6334] },
  tei: { namespace: PLATFORM_NAMESPACES.embeddings, service: 'tei', ports: [8080] },
  /** Valkey (Redis protocol) in `data`: carries the tenants' ingestion streams. */
  queue: { namespace: PLATFORM_NAMESPACES.data, service: 'valkey', ports: [6379] },
} as const satisfies Record<string, PlatformEndpoint>;

/** The orchestrator's ServiceAccount: the one reader of a tenant's credentials Secret. */
export const ORCHESTRATOR_SERVICE_ACCOUNT = { namespace: PLATFORM_NAMESPACES.orchestrator, name: 'orchestrator' } as const;

/** The ClusterSecretStore the workloads stack binds to the secret store with external-secrets' identity. */
export const PLATFORM_SECRET_STORE = 'platform-secrets';

/** The Secret (in `llm-gateway`) that holds LiteLLM's master key; only provisioning Jobs there read it. */
export const LITELLM_MASTER_KEY_SECRET = { name: 'litellm-master-key', key: 'masterkey' } as const;

/** `http://<service>.<namespace>.svc.cluster.local:<port>` for an endpoint's first port. */
export function endpointUrl(endpoint: PlatformEndpoint, scheme = 'http'): string {
  return `${scheme}://${endpointHost(endpoint)}:${endpoint.ports[0]}`;
}

export function endpointHost(endpoint: PlatformEndpoint): string {
  return `${endpoint.service}.${endpoint.namespace}.svc.cluster.local`;
}
