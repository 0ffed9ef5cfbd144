/**
 * The rules of thumb the planner sizes with, from the reference architecture ("Capacity planning at the
 * stack level") and Qdrant's capacity guidance. They are measured numbers from someone else's cluster:
 * load-test before relying on them, and change them here (one reviewed diff) when your measurements
 * differ.
 */
export const SIZING = {
  /** Size for peak = steady x this (the seed sizes for 3x p50 traffic). */
  peakFactor: 3,
  /** Zones to spread over when the region catalog does not know the region. */
  zones: 3,
  orchestrator: {
    qpsPerReplica: 50,
    vcpu: 2,
    memoryGiB: 4,
    /** Extra capacity so the HPA has time to react to a spike. */
    headroom: 0.3,
    /** A PodDisruptionBudget of minAvailable 2 needs 3 replicas to allow one voluntary eviction. */
    minReplicas: 3,
  },
  qdrant: {
    /** A 3-peer cluster on r6i.xlarge at ef=128 serves ~300 QPS over 10M vectors: ~100 QPS per peer. */
    qpsPerPeerAtReference: 100,
    referenceVectors: 10_000_000,
    /** Qdrant's rule: RAM = vectors x dims x bytes per dimension x 1.5 (index, payload, versions). */
    ramOverhead: 1.5,
    /** Keep vector data under 70% of a node's memory (page cache, compaction, the OS). */
    maxRamShare: 0.7,
    /** Raft consensus needs a majority: 3 peers survive the loss of one. */
    minPeers: 3,
    /** Every shard on two peers, so losing one peer loses no data (the platform's default). */
    replicationFactor: 2,
    /** Shards do not rebalance on scale: start with twice the peers. */
    shardsPerPeer: 2,
    /** Disk holds the float32 originals (int8 rescoring reads them) plus the index, with 30% free. */
    diskHeadroom: 1.3,
  },
  tei: {
    /** ~1,000 embeddings/s per L4 at 768 dimensions; cost grows with the dimensions. */
    qpsPerL4At768: 1000,
    referenceDims: 768,
    /** Embeddings per RAG request (the query; reranking would add more). */
    embeddingsPerRequest: 1,
    /** Two GPUs so one node's loss or drain leaves queries served. */
    minReplicas: 2,
    /** What the TEI pod asks for besides its GPU (the reference deployment's requests). */
    podVcpu: 4,
    podMemoryGiB: 16,
  },
  litellm: {
    rpsPerPod: 500,
    vcpu: 1,
    memoryGiB: 2,
    /** LLM calls per RAG request (one generation). */
    callsPerRequest: 1,
    /** One per zone: the gateway is on every request's path. */
    minReplicas: 3,
  },
  langfuse: {
    eventsPerSecondPerWorker: 10_000,
    headroom: 0.5,
    /** Trace events per RAG request: the trace, the retrieval span, the embedding span, the generation. */
    eventsPerRequest: 4,
    minWorkers: 2,
    /** Langfuse's production guidance: at least 2 CPUs and 4 GiB per web and worker container. */
    workerVcpu: 2,
    workerMemoryGiB: 4,
    /** The rest of the small tier, sized once: web, ClickHouse (3 replicas), Valkey (Postgres: `postgres`). */
    fixed: [
      { what: 'web', replicas: 2, vcpu: 2, memoryGiB: 4, diskGiB: 0 },
      { what: 'ClickHouse', replicas: 3, vcpu: 4, memoryGiB: 16, diskGiB: 100 },
      { what: 'Valkey', replicas: 1, vcpu: 0.5, memoryGiB: 1, diskGiB: 8 },
    ],
  },
  /** LiteLLM's own Valkey (in the `data` namespace; its Postgres: `postgres`). */
  litellmStores: [{ what: 'Valkey', replicas: 1, vcpu: 0.5, memoryGiB: 1, diskGiB: 8 }],
  /**
   * Each application's CloudNativePG Cluster (LiteLLM's, Langfuse's): one instance per zone, at least 2
   * (postgresInstances), each with its own volume of the Cluster's storage size (litellm.ts, langfuse.ts).
   */
  postgres: {
    vcpu: 1,
    memoryGiB: 2,
    diskGiB: { litellm: 50, langfuse: 20 },
  },
  /**
   * Share of a node pods can use: allocatable (kubelet, system reserve, daemonsets) and bin-packing loss.
   * The general pool runs whole nodes, as many per zone in every zone, so its node count is rounded up
   * to a multiple of the zones and its cost shared among the pods by their demand.
   */
  packingEfficiency: 0.75,
  /** Share of a dedicated node one pod can request (kubelet and system reserve take the rest). */
  allocatableShare: 0.9,
  platform: {
    /** Prometheus, Traefik, cert-manager, external-secrets, KEDA, metrics-server on the general pool. */
    addonsVcpu: 4,
    addonsMemoryGiB: 12,
    addonsDiskGiB: 100,
    systemNodes: 2,
    /** Interface endpoints a private EKS cluster needs (FIELD-NOTES list), each billed per zone. */
    awsInterfaceEndpoints: 16,
    /** Key Vault, registry, blob, and the state account's endpoints. */
    azurePrivateEndpoints: 6,
    /** Control-plane audit and flow logs. */
    logGBPerMonth: 100,
    keys: 7,
  },
} as const;

export const HOURS_PER_MONTH = 730;

/** Memory-optimized sizes Qdrant peers are chosen from, smallest first; the first is the reference node. */
export const QDRANT_NODE_LADDER = {
  aws: ['r6i.xlarge', 'r6i.2xlarge', 'r6i.4xlarge', 'r6i.8xlarge'],
  azure: ['Standard_E4s_v5', 'Standard_E8s_v5', 'Standard_E16s_v5', 'Standard_E32s_v5'],
} as const;

/** Node types used when no environment file names them. */
export const DEFAULT_POOLS = {
  aws: { general: 'm7i.2xlarge', system: 'm7i.large' },
  azure: { general: 'Standard_D8s_v5', system: 'Standard_D4s_v5' },
} as const;

/**
 * GPU families for TEI in order of preference, with throughput relative to an L4 (our estimate for T4
 * and A10 from their fp16 throughput; L4 is the reference measurement).
 */
export const TEI_GPU_PREFERENCE = [
  { family: 'L4', relativeThroughput: 1 },
  { family: 'A10', relativeThroughput: 1 },
  { family: 'T4', relativeThroughput: 0.5 },
] as const;
