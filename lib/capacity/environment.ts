import { EnvironmentConfig } from '../config/schema';
import { SIZING } from './assumptions';
import { CapacityArgs, CapacityUsageError } from './args';
import { CapacityInput, CapacityPlan, LayerName } from './plan';
import { Currency } from './prices';

/**
 * Where the planner's numbers come from: command-line flags win, then the environment file's
 * `capacity:` block, then the reference defaults (768 dims, 3x peak). Cloud, region and node types come
 * from the environment file when there is one.
 */
export function capacityInput(args: CapacityArgs, config?: EnvironmentConfig): CapacityInput {
  const block = config?.capacity;
  const steadyQps = args.qps ?? block?.steadyQps;
  const vectors = args.vectors ?? block?.vectors;
  if (steadyQps === undefined) {
    throw new CapacityUsageError('--qps', `is required${config ? ' (the environment file has no capacity.steadyQps)' : ''}`);
  }
  if (vectors === undefined) {
    throw new CapacityUsageError('--vectors', `is required${config ? ' (the environment file has no capacity.vectors)' : ''}`);
  }
  return {
    steadyQps,
    vectors,
    dims: args.dims ?? block?.dims ?? SIZING.tei.referenceDims,
    peakFactor: args.peakFactor ?? block?.peakFactor ?? SIZING.peakFactor,
    cloud: config?.cloud ?? args.cloud ?? 'aws',
    region: config?.region ?? args.region ?? (args.cloud === 'azure' ? 'uaenorth' : 'me-central-1'),
    generalInstanceType: config?.nodePools.general.instanceType,
    systemInstanceType: config?.nodePools.system.instanceType,
    preferredGpuFamily: config?.nodePools.gpu.family,
    gpuAvailabilityConfirmed: config?.nodePools.gpu.availabilityConfirmed,
    currency: args.currency,
  };
}

/** The plan an environment's own `capacity:` block asks for (no flags), or undefined without one. */
export function environmentCapacityInput(config: EnvironmentConfig, currency: Currency = 'AED'): CapacityInput | undefined {
  return config.capacity ? capacityInput({ json: false, currency }, config) : undefined;
}

/** A size in the environment file set differently from the plan's advice. */
export interface CapacityDifference {
  readonly field: string;
  readonly configured: string | number;
  readonly advised: string | number;
  /** `warning`: below the advice (the platform may not carry the load); `note`: above or different. */
  readonly severity: 'warning' | 'note';
  readonly message: string;
}

/**
 * Compares the environment file's sizes with the plan. The file always wins (nothing is changed); a
 * value below the advice is a warning, anything else that differs a note.
 */
export function compareWithEnvironment(config: EnvironmentConfig, plan: CapacityPlan): CapacityDifference[] {
  const layer = (name: LayerName) => plan.layers.find((candidate) => candidate.name === name)!;
  const differences: CapacityDifference[] = [];
  const atLeast = (field: string, configured: number, advised: number, why: string): void => {
    if (configured < advised) {
      differences.push({ field, configured, advised, severity: 'warning', message: `${field} is ${configured}, below the advised ${advised} (${why})` });
    } else if (configured > advised) {
      differences.push({ field, configured, advised, severity: 'note', message: `${field} is ${configured}, above the advised ${advised}` });
    }
  };
  const orchestrator = layer('orchestrator');
  atLeast('components.orchestrator.maxReplicas', config.components.orchestrator.maxReplicas, orchestrator.replicas, `peak needs ${orchestrator.replicas} replicas`);
  const qdrant = layer('qdrant');
  atLeast('components.qdrant.replicas', config.components.qdrant.replicas, qdrant.replicas, qdrant.why[0]);
  const shards = config.components.qdrant.shards ?? config.components.qdrant.replicas * SIZING.qdrant.shardsPerPeer;
  atLeast('components.qdrant.shards', shards, Number(qdrant.settings.shards), 'shards do not rebalance on scale');
  atLeast('components.qdrant.storageGi', config.components.qdrant.storageGi, Number(qdrant.settings.diskGiBPerPeer), 'float32 originals and index per peer with 30% free');
  if (config.components.qdrant.expectedVectors !== plan.input.vectors) {
    differences.push({
      field: 'components.qdrant.expectedVectors',
      configured: config.components.qdrant.expectedVectors,
      advised: plan.input.vectors,
      severity: config.components.qdrant.expectedVectors < plan.input.vectors ? 'warning' : 'note',
      message: `components.qdrant.expectedVectors is ${config.components.qdrant.expectedVectors}, the plan sizes for ${plan.input.vectors}`,
    });
  }
  const tei = layer('tei');
  if (tei.replicas > 0) {
    atLeast('components.tei.replicas', config.components.tei.replicas, tei.replicas, tei.why[tei.why.length - 1]);
    atLeast('nodePools.gpu.max', config.nodePools.gpu.max, tei.replicas, 'one GPU node per TEI replica');
    if (config.nodePools.gpu.family !== tei.settings.gpuFamily) {
      differences.push({
        field: 'nodePools.gpu.family',
        configured: config.nodePools.gpu.family,
        advised: String(tei.settings.gpuFamily),
        severity: 'note',
        message: `nodePools.gpu.family is ${config.nodePools.gpu.family}; the plan proposes ${tei.settings.gpuFamily}`,
      });
    }
  }
  atLeast('nodePools.general.max', config.nodePools.general.max, plan.generalPool.nodes, plan.generalPool.why);
  return differences;
}
