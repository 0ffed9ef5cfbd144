import { capacitySchema } from '../config/schema';
import { GPU_FAMILIES, GpuFamily } from '../sovereignty/gpu';
import { SIZING } from './assumptions';
import { planCapacity } from './plan';
import { findPriceBook } from './prices';

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Sizes the environment file leaves out, taken from the plan of its `capacity:` block: Qdrant peers,
 * shards, disk and expected vectors, and TEI replicas. Runs on the raw document before validation, so
 * "left out" is exact: a value the file sets always wins (and is compared with the advice, never
 * changed). Anything the plan cannot be made from (no block, an invalid one, a region without a price
 * book) leaves the document as it is, for the schema and rules to judge.
 */
export function withCapacityAdvice(input: unknown): unknown {
  if (!isObject(input) || !isObject(input.components) || !isObject(input.components.tei)) return input;
  const capacity = capacitySchema.safeParse(input.capacity);
  const { cloud, region } = input;
  if (!capacity.success || (cloud !== 'aws' && cloud !== 'azure') || typeof region !== 'string' || !findPriceBook(cloud, region)) return input;
  const gpu = isObject(input.nodePools) && isObject(input.nodePools.gpu) ? input.nodePools.gpu : {};
  const family = (GPU_FAMILIES as readonly unknown[]).includes(gpu.family) ? (gpu.family as GpuFamily) : undefined;
  const plan = planCapacity({ ...capacity.data, cloud, region, preferredGpuFamily: family, gpuAvailabilityConfirmed: gpu.availabilityConfirmed === true, currency: 'USD' });
  const qdrant = plan.layers.find((layer) => layer.name === 'qdrant')!;
  const tei = plan.layers.find((layer) => layer.name === 'tei')!;
  const fileQdrant = isObject(input.components.qdrant) ? input.components.qdrant : {};
  // Shards follow the peers the cluster will actually have (the file's, when it sets them).
  const peers = typeof fileQdrant.replicas === 'number' ? fileQdrant.replicas : qdrant.replicas;
  const advisedQdrant = {
    replicas: qdrant.replicas,
    shards: peers * SIZING.qdrant.shardsPerPeer,
    storageGi: Math.max(10, Number(qdrant.settings.diskGiBPerPeer)),
    expectedVectors: capacity.data.vectors,
  };
  const components = input.components;
  return {
    ...input,
    components: {
      ...components,
      qdrant: { ...advisedQdrant, ...fileQdrant },
      tei: { ...(tei.replicas > 0 ? { replicas: tei.replicas } : {}), ...(components.tei as Json) },
    },
  };
}
