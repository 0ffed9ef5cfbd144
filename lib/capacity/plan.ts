import { Cloud, findRegion } from '../sovereignty/regions';
import { GPU_OFFERS, GpuFamily, GpuOffer, regionAvailability } from '../sovereignty/gpu';
import { DEFAULT_POOLS, HOURS_PER_MONTH, QDRANT_NODE_LADDER, SIZING, TEI_GPU_PREFERENCE } from './assumptions';
import { Currency, findPriceBook, instanceUsdPerHour, PriceBook, usdTo } from './prices';
import { postgresInstances } from '../components/postgres-instances';

/** What the planner sizes for. */
export interface CapacityInput {
  readonly steadyQps: number;
  readonly vectors: number;
  readonly dims: number;
  readonly peakFactor: number;
  readonly cloud: Cloud;
  readonly region: string;
  /** General-pool node type pods are packed onto (default per cloud). */
  readonly generalInstanceType?: string;
  readonly systemInstanceType?: string;
  /** GPU family the environment chose; preferred when the region offers it. */
  readonly preferredGpuFamily?: GpuFamily;
  /** The environment owner confirmed the preferred family in the region (catalog says unknown). */
  readonly gpuAvailabilityConfirmed?: boolean;
  readonly currency: Currency;
}

export type LayerName = 'orchestrator' | 'qdrant' | 'tei' | 'litellm' | 'langfuse';
export type Quantization = 'none' | 'int8';

export interface LayerPlan {
  readonly name: LayerName;
  readonly replicas: number;
  /** Node type: a dedicated pool's instance, or the general pool's for pods packed onto it. */
  readonly instanceType: string;
  readonly placement: 'general-pool' | 'dedicated-nodes';
  readonly vcpu: number;
  readonly memoryGiB: number;
  readonly gpus: number;
  readonly quantization: Quantization;
  /** The arithmetic, one sentence per step. */
  readonly why: string[];
  /** Extra numbers a layer is configured with (Qdrant shards, disk, GPU family, ...). */
  readonly settings: Readonly<Record<string, string | number>>;
}

export interface CostLine {
  readonly what: string;
  readonly usd: number;
}

export interface CapacityPlan {
  readonly input: CapacityInput;
  readonly peakQps: number;
  readonly layers: LayerPlan[];
  readonly generalPool: GeneralPoolSize;
  readonly monthlyCost: {
    readonly currency: Currency;
    readonly total: number;
    /** Per layer, plus `platform` (control plane, system nodes, add-ons, endpoints, logs, keys, support). */
    readonly byLayer: Readonly<Record<string, number>>;
    readonly lines: Readonly<Record<string, CostLine[]>>;
    readonly priceBook: { readonly source: string; readonly reviewed: string; readonly estimate: boolean; readonly regionalUplift: number };
    readonly excludes: string;
  };
  readonly warnings: string[];
}

/** Thrown for inputs the planner cannot size (region without a price book, node type not priced, ...). */
export class CapacityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CapacityError';
  }
}

const GiB = 1024 ** 3;
const round1 = (value: number): number => Math.round(value * 10) / 10;

interface GeneralPod {
  readonly layer: string;
  readonly what: string;
  readonly replicas: number;
  readonly vcpu: number;
  readonly memoryGiB: number;
  readonly diskGiB: number;
}

export interface GeneralPoolSize {
  readonly instanceType: string;
  readonly nodes: number;
  readonly why: string;
}

/**
 * The general pool runs whole nodes, the same number in every zone: enough for the pods' CPU or memory
 * (whichever is scarcer) at the packing efficiency, rounded up to a multiple of the zones. Its cost is
 * shared among the pods in proportion to their demand.
 */
function generalPool(book: PriceBook, general: string, zones: number, pods: readonly GeneralPod[]): { size: GeneralPoolSize; lines: Record<string, CostLine[]> } {
  const node = book.instances[general];
  const usableVcpu = node.vcpu * SIZING.packingEfficiency;
  const usableMemory = node.memoryGiB * SIZING.packingEfficiency;
  const demand = (pod: GeneralPod): number => pod.replicas * Math.max(pod.vcpu / usableVcpu, pod.memoryGiB / usableMemory);
  const totalVcpu = pods.reduce((sum, pod) => sum + pod.replicas * pod.vcpu, 0);
  const totalMemory = pods.reduce((sum, pod) => sum + pod.replicas * pod.memoryGiB, 0);
  const needed = Math.ceil(Math.max(totalVcpu / usableVcpu, totalMemory / usableMemory));
  const nodes = Math.ceil(needed / zones) * zones;
  const poolUsd = nodes * instanceUsdPerHour(book, general)! * HOURS_PER_MONTH;
  const totalDemand = pods.reduce((sum, pod) => sum + demand(pod), 0);
  const lines: Record<string, CostLine[]> = {};
  for (const pod of pods) {
    const layerLines = (lines[pod.layer] ??= []);
    layerLines.push({ what: `${pod.replicas} x ${pod.what} (${pod.vcpu} vCPU, ${pod.memoryGiB} GiB) on the general pool`, usd: (poolUsd * demand(pod)) / totalDemand });
    if (pod.diskGiB > 0) {
      layerLines.push({ what: `${pod.replicas} x ${pod.diskGiB} GiB volume (${pod.what})`, usd: pod.replicas * pod.diskGiB * book.volumeUsdPerGiBMonth });
    }
  }
  const why =
    `pods request ${round1(totalVcpu)} vCPU and ${round1(totalMemory)} GiB; ${general} offers ${round1(usableVcpu)} vCPU / ${round1(usableMemory)} GiB ` +
    `at ${SIZING.packingEfficiency * 100}% packing -> ${needed} node(s), the same number in each of ${zones} zone(s) -> ${nodes}`;
  return { size: { instanceType: general, nodes, why }, lines };
}

function dedicatedLines(book: PriceBook, instanceType: string, replicas: number, diskGiB: number, what: string): CostLine[] {
  const lines: CostLine[] = [{ what: `${replicas} x ${instanceType} (${what})`, usd: replicas * instanceUsdPerHour(book, instanceType)! * HOURS_PER_MONTH }];
  if (diskGiB > 0) {
    lines.push({ what: `${replicas} x ${diskGiB} GiB volume (${what})`, usd: replicas * diskGiB * book.volumeUsdPerGiBMonth });
  }
  return lines;
}

function requirePriced(book: PriceBook, instanceType: string, field: string): void {
  if (instanceUsdPerHour(book, instanceType) === undefined) {
    throw new CapacityError(`${field}: ${instanceType} has no price in the ${book.cloud} ${book.region} price book (priced: ${Object.keys(book.instances).join(', ')})`);
  }
}

/** A layer of pods packed onto the general pool (its node type is filled in by planCapacity). */
function generalPoolLayer(name: LayerName, replicas: number, pod: { vcpu: number; memoryGiB: number }, why: string[], settings: LayerPlan['settings']): LayerPlan {
  return { name, replicas, instanceType: '', placement: 'general-pool', vcpu: pod.vcpu, memoryGiB: pod.memoryGiB, gpus: 0, quantization: 'none', why, settings };
}

function planOrchestrator(peakQps: number): LayerPlan {
  const rule = SIZING.orchestrator;
  const target = peakQps * (1 + rule.headroom);
  const forLoad = Math.ceil(target / rule.qpsPerReplica);
  const replicas = Math.max(forLoad, rule.minReplicas);
  return generalPoolLayer(
    'orchestrator',
    replicas,
    rule,
    [
      `peak ${peakQps} QPS + ${rule.headroom * 100}% HPA headroom = ${round1(target)} QPS; ${rule.qpsPerReplica} QPS per ${rule.vcpu}-vCPU replica -> ${forLoad}`,
      `availability minimum ${rule.minReplicas} (PDB minAvailable 2, one per zone) -> ${replicas} replicas (${replicas * rule.qpsPerReplica} QPS capacity)`,
    ],
    { qpsCapacity: replicas * rule.qpsPerReplica },
  );
}

function planQdrant(input: CapacityInput, peakQps: number, book: PriceBook): LayerPlan {
  const rule = SIZING.qdrant;
  // HNSW search visits O(log n) nodes: a peer's throughput falls with the log of the collection size.
  const qpsPerPeer = rule.qpsPerPeerAtReference * Math.min(1, Math.log2(rule.referenceVectors) / Math.log2(Math.max(input.vectors, 2)));
  const peersForLoad = Math.ceil(peakQps / qpsPerPeer);
  const basePeers = Math.max(peersForLoad, rule.minPeers);
  const ramGiB = (bytesPerDim: number): number => (input.vectors * input.dims * bytesPerDim * rule.ramOverhead * rule.replicationFactor) / GiB;
  const float32GiB = ramGiB(4);
  const int8GiB = ramGiB(1);
  const why = [
    `one peer serves ~${round1(qpsPerPeer)} QPS at ef=128 over ${input.vectors.toLocaleString('en-US')} vectors (${rule.qpsPerPeerAtReference} QPS per peer at ${rule.referenceVectors / 1e6}M, scaled by log(10M)/log(n) above it); peak ${peakQps} QPS -> ${peersForLoad} peer(s), availability minimum ${rule.minPeers} (Raft majority) -> ${basePeers}`,
    `vectors in RAM with replication factor ${rule.replicationFactor}: float32 ${round1(float32GiB)} GiB, int8 ${round1(int8GiB)} GiB (dims x bytes x ${rule.ramOverhead} overhead x replicas)`,
  ];
  const ladder = QDRANT_NODE_LADDER[input.cloud];
  let choice: { instanceType: string; peers: number; quantization: Quantization } | undefined;
  for (const instanceType of ladder) {
    requirePriced(book, instanceType, 'qdrant node ladder');
    const usable = book.instances[instanceType].memoryGiB * rule.maxRamShare;
    if (float32GiB / basePeers <= usable) {
      why.push(`${instanceType}: ${round1(float32GiB / basePeers)} GiB float32 per peer fits ${round1(usable)} GiB (${rule.maxRamShare * 100}% of ${book.instances[instanceType].memoryGiB} GiB) -> no quantization`);
      choice = { instanceType, peers: basePeers, quantization: 'none' };
      break;
    }
    if (int8GiB / basePeers <= usable) {
      why.push(`${instanceType}: float32 ${round1(float32GiB / basePeers)} GiB per peer exceeds ${round1(usable)} GiB (${rule.maxRamShare * 100}% of RAM); int8 ${round1(int8GiB / basePeers)} GiB fits -> scalar int8 quantization (originals on disk for rescoring)`);
      choice = { instanceType, peers: basePeers, quantization: 'int8' };
      break;
    }
    why.push(`${instanceType}: even int8 (${round1(int8GiB / basePeers)} GiB per peer) exceeds ${round1(usable)} GiB -> larger node`);
  }
  if (!choice) {
    const largest = ladder[ladder.length - 1];
    const usable = book.instances[largest].memoryGiB * rule.maxRamShare;
    const peers = Math.ceil(int8GiB / usable);
    why.push(`largest node ${largest}: int8 needs ${peers} peers of ${round1(usable)} GiB usable`);
    choice = { instanceType: largest, peers, quantization: 'int8' };
  }
  const shape = book.instances[choice.instanceType];
  const diskGiB = Math.ceil(((input.vectors * input.dims * 4 * rule.ramOverhead * rule.replicationFactor) / GiB / choice.peers) * rule.diskHeadroom / 10) * 10;
  return {
    name: 'qdrant',
    replicas: choice.peers,
    instanceType: choice.instanceType,
    placement: 'dedicated-nodes',
    vcpu: shape.vcpu,
    memoryGiB: shape.memoryGiB,
    gpus: 0,
    quantization: choice.quantization,
    why,
    settings: {
      shards: choice.peers * rule.shardsPerPeer,
      replicationFactor: rule.replicationFactor,
      diskGiBPerPeer: diskGiB,
      qpsCapacity: Math.floor(choice.peers * qpsPerPeer),
    },
  };
}

interface GpuChoice {
  readonly offer: GpuOffer;
  readonly relativeThroughput: number;
  readonly availability: 'offered' | 'unknown';
}

/** GPU family for TEI: offered beats unknown; never a family the region does not offer. */
export function chooseGpu(
  cloud: Cloud,
  region: string,
  preferred?: { readonly family: GpuFamily; readonly confirmed: boolean },
  offers: readonly GpuOffer[] = GPU_OFFERS,
): GpuChoice | undefined {
  const candidates = [...TEI_GPU_PREFERENCE]
    .sort((a, b) => Number(b.family === preferred?.family) - Number(a.family === preferred?.family))
    .flatMap((pref) => {
      const offer = offers.find((candidate) => candidate.cloud === cloud && candidate.family === pref.family);
      if (!offer) return [];
      const catalog = regionAvailability(offer, region);
      const availability = catalog === 'unknown' && preferred?.confirmed && preferred.family === pref.family ? 'offered' : catalog;
      return availability === 'not-offered' ? [] : [{ offer, relativeThroughput: pref.relativeThroughput, availability }];
    });
  return candidates.find((candidate) => candidate.availability === 'offered') ?? candidates[0];
}

function planTei(input: CapacityInput, peakQps: number, book: PriceBook, warnings: string[], offers: readonly GpuOffer[]): LayerPlan {
  const rule = SIZING.tei;
  const preferred = input.preferredGpuFamily ? { family: input.preferredGpuFamily, confirmed: input.gpuAvailabilityConfirmed ?? false } : undefined;
  const choice = chooseGpu(input.cloud, input.region, preferred, offers);
  if (!choice) {
    warnings.push(`tei: no GPU family is offered in ${input.cloud} ${input.region}; no GPU pool is proposed (use an in-region managed embedding endpoint or CPU inference)`);
    return { name: 'tei', replicas: 0, instanceType: 'none', placement: 'dedicated-nodes', vcpu: 0, memoryGiB: 0, gpus: 0, quantization: 'none', why: ['no GPU family offered in the region'], settings: {} };
  }
  if (choice.availability === 'unknown') {
    warnings.push(`tei: ${choice.offer.family} (${choice.offer.series}) availability in ${input.region} is not published; confirm quota with the provider (nodePools.gpu.availabilityConfirmed)`);
  }
  const instanceType = choice.offer.sizes.find((size) => {
    const shape = book.instances[size.name];
    return size.gpus === 1 && shape !== undefined && shape.vcpu * SIZING.allocatableShare >= rule.podVcpu && shape.memoryGiB * SIZING.allocatableShare >= rule.podMemoryGiB;
  })?.name;
  if (!instanceType) {
    throw new CapacityError(`tei: no priced single-GPU ${choice.offer.family} size fits the TEI pod (${rule.podVcpu} vCPU, ${rule.podMemoryGiB} GiB) in the ${input.region} price book`);
  }
  const perGpu = rule.qpsPerL4At768 * (rule.referenceDims / input.dims) * choice.relativeThroughput;
  const demand = peakQps * rule.embeddingsPerRequest;
  const forLoad = Math.ceil(demand / perGpu);
  const replicas = Math.max(forLoad, rule.minReplicas);
  const shape = book.instances[instanceType];
  return {
    name: 'tei',
    replicas,
    instanceType,
    placement: 'dedicated-nodes',
    vcpu: shape.vcpu,
    memoryGiB: shape.memoryGiB,
    gpus: 1,
    quantization: 'none',
    why: [
      `${choice.offer.family} is ${choice.availability}${choice.availability === 'offered' && regionAvailability(choice.offer, input.region) === 'unknown' ? ' (confirmed by the environment owner)' : ''} in ${input.region}; smallest single-GPU size that fits the TEI pod (${rule.podVcpu} vCPU, ${rule.podMemoryGiB} GiB): ${instanceType}`,
      `~${round1(perGpu)} embeddings/s per ${choice.offer.family} at ${input.dims} dims; peak ${demand}/s -> ${forLoad} GPU(s), availability minimum ${rule.minReplicas} -> ${replicas}`,
    ],
    settings: { gpuFamily: choice.offer.family, qpsCapacity: Math.floor(replicas * perGpu) },
  };
}

function planLitellm(peakQps: number): LayerPlan {
  const rule = SIZING.litellm;
  const rps = peakQps * rule.callsPerRequest;
  const forLoad = Math.ceil(rps / rule.rpsPerPod);
  const replicas = Math.max(forLoad, rule.minReplicas);
  return generalPoolLayer(
    'litellm',
    replicas,
    rule,
    [
      `peak ${rps} RPS; ~${rule.rpsPerPod} RPS per ${rule.vcpu}-vCPU pod -> ${forLoad}`,
      `availability minimum ${rule.minReplicas} (one per zone; every request passes the gateway) -> ${replicas}`,
    ],
    { rpsCapacity: replicas * rule.rpsPerPod },
  );
}

function planLangfuse(peakQps: number, postgresInstanceCount: number): LayerPlan {
  const rule = SIZING.langfuse;
  const events = peakQps * rule.eventsPerRequest;
  const forLoad = Math.ceil((events * (1 + rule.headroom)) / rule.eventsPerSecondPerWorker);
  const replicas = Math.max(forLoad, rule.minWorkers);
  return generalPoolLayer(
    'langfuse',
    replicas,
    { vcpu: rule.workerVcpu, memoryGiB: rule.workerMemoryGiB },
    [
      `peak ${events} trace events/s (${rule.eventsPerRequest} per request) + ${rule.headroom * 100}% headroom; ${rule.eventsPerSecondPerWorker} events/s per worker -> ${forLoad}`,
      `availability minimum ${rule.minWorkers} workers -> ${replicas}; small tier besides: ${rule.fixed.map((f) => `${f.replicas} x ${f.what}`).join(', ')}, ${postgresInstanceCount} x Postgres (one per zone, at least 2)`,
    ],
    { eventsPerSecondAtPeak: events },
  );
}

/**
 * Sizes every layer from steady QPS and vector count, then prices it with the region's price book.
 * Pure and deterministic: the same input gives the same plan.
 */
export function planCapacity(input: CapacityInput, offers: readonly GpuOffer[] = GPU_OFFERS): CapacityPlan {
  const book = findPriceBook(input.cloud, input.region);
  if (!book) {
    throw new CapacityError(`region: no price book for ${input.cloud} ${input.region}`);
  }
  const general = input.generalInstanceType ?? DEFAULT_POOLS[input.cloud].general;
  const system = input.systemInstanceType ?? DEFAULT_POOLS[input.cloud].system;
  requirePriced(book, general, 'nodePools.general.instanceType');
  requirePriced(book, system, 'nodePools.system.instanceType');
  const warnings: string[] = [];
  const peakQps = input.steadyQps * input.peakFactor;
  const onGeneral = (layer: LayerPlan): LayerPlan => ({ ...layer, instanceType: general });
  // A zone-less region (UAE Central) has one failure domain: nothing to spread over.
  const zones = Math.max(findRegion(input.cloud, input.region)?.zones.length ?? SIZING.zones, 1);
  const postgres = { ...SIZING.postgres, replicas: postgresInstances(zones) };
  const layers = [
    onGeneral(planOrchestrator(peakQps)),
    planQdrant(input, peakQps, book),
    planTei(input, peakQps, book, warnings, offers),
    onGeneral(planLitellm(peakQps)),
    onGeneral(planLangfuse(peakQps, postgres.replicas)),
  ];
  const layer = (name: LayerName): LayerPlan => layers.find((candidate) => candidate.name === name)!;

  const platform = SIZING.platform;
  const pool = generalPool(book, general, zones, [
    { layer: 'orchestrator', what: 'orchestrator', replicas: layer('orchestrator').replicas, vcpu: SIZING.orchestrator.vcpu, memoryGiB: SIZING.orchestrator.memoryGiB, diskGiB: 0 },
    { layer: 'litellm', what: 'LiteLLM', replicas: layer('litellm').replicas, vcpu: SIZING.litellm.vcpu, memoryGiB: SIZING.litellm.memoryGiB, diskGiB: 0 },
    { layer: 'litellm', what: 'LiteLLM Postgres', replicas: postgres.replicas, vcpu: postgres.vcpu, memoryGiB: postgres.memoryGiB, diskGiB: postgres.diskGiB.litellm },
    ...SIZING.litellmStores.map((store) => ({ ...store, layer: 'litellm', what: `LiteLLM ${store.what}` })),
    { layer: 'langfuse', what: 'Langfuse worker', replicas: layer('langfuse').replicas, vcpu: SIZING.langfuse.workerVcpu, memoryGiB: SIZING.langfuse.workerMemoryGiB, diskGiB: 0 },
    ...SIZING.langfuse.fixed.map((part) => ({ ...part, layer: 'langfuse', what: `Langfuse ${part.what}` })),
    { layer: 'langfuse', what: 'Langfuse Postgres', replicas: postgres.replicas, vcpu: postgres.vcpu, memoryGiB: postgres.memoryGiB, diskGiB: postgres.diskGiB.langfuse },
    { layer: 'platform', what: 'cluster add-ons', replicas: 1, vcpu: platform.addonsVcpu, memoryGiB: platform.addonsMemoryGiB, diskGiB: platform.addonsDiskGiB },
  ]);
  const endpointCount = input.cloud === 'aws' ? platform.awsInterfaceEndpoints * zones : platform.azurePrivateEndpoints;
  const lines: Record<string, CostLine[]> = {
    orchestrator: pool.lines.orchestrator,
    qdrant: dedicatedLines(book, layer('qdrant').instanceType, layer('qdrant').replicas, Number(layer('qdrant').settings.diskGiBPerPeer), 'Qdrant peer'),
    tei: layer('tei').replicas > 0 ? dedicatedLines(book, layer('tei').instanceType, layer('tei').replicas, 0, 'TEI GPU node') : [],
    litellm: pool.lines.litellm,
    langfuse: pool.lines.langfuse,
    platform: [
      { what: 'managed Kubernetes control plane', usd: book.controlPlaneUsdPerHour * HOURS_PER_MONTH },
      ...dedicatedLines(book, system, platform.systemNodes, 0, 'system pool'),
      ...pool.lines.platform,
      { what: `${endpointCount} private endpoint(s)`, usd: endpointCount * book.privateEndpointUsdPerHour * HOURS_PER_MONTH },
      { what: `${platform.logGBPerMonth} GB/month control-plane and flow logs`, usd: platform.logGBPerMonth * book.logIngestUsdPerGB },
      { what: `${platform.keys} customer-managed keys`, usd: platform.keys * book.keyUsdPerMonth },
    ],
  };
  const beforeSupport = Object.values(lines).flat().reduce((sum, line) => sum + line.usd, 0);
  lines.platform.push({ what: `support plan (${book.supportShare * 100}% of the bill)`, usd: beforeSupport * book.supportShare });

  const money = (usd: number): number => Math.round(usdTo(input.currency, usd));
  const byLayer = Object.fromEntries(Object.entries(lines).map(([name, items]) => [name, money(items.reduce((sum, line) => sum + line.usd, 0))]));
  const total = Object.values(byLayer).reduce((sum, value) => sum + value, 0);
  if (book.estimate) {
    warnings.push(`prices for ${input.cloud} ${input.region} are estimates (${book.source}, uplift ${book.regionalUplift}); review against the regional price list before budgeting`);
  }
  return {
    input,
    peakQps,
    layers,
    generalPool: pool.size,
    monthlyCost: {
      currency: input.currency,
      total,
      byLayer,
      lines: Object.fromEntries(Object.entries(lines).map(([name, items]) => [name, items.map((line) => ({ what: line.what, usd: Math.round(line.usd * 100) / 100 }))])),
      priceBook: { source: book.source, reviewed: book.reviewed, estimate: book.estimate, regionalUplift: book.regionalUplift },
      excludes: 'LLM tokens, data transfer, backups and snapshots, taxes',
    },
    warnings,
  };
}
