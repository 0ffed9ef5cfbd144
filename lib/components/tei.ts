import { Construct } from 'constructs';
import { ChartRelease } from '../kubernetes/helm';
import { NS } from '../kubernetes/namespaces';
import { PORTS } from '../kubernetes/network-policies';
import { LATENCY_CRITICAL } from '../kubernetes/priority-classes';
import { deepMerge, Values } from '../kubernetes/values';
import { ComponentProps } from './component';

export interface TeiOptions {
  readonly modelId: string;
  /** 40-hex commit of the model repository. */
  readonly revision: string;
  readonly replicas: number;
  readonly maxBatchTokens: number;
  /** PVC holding the pre-populated Hub cache (filled from in-region storage): TEI runs offline. */
  readonly modelCacheClaim?: string;
}

export interface TeiProps extends ComponentProps {
  readonly options: TeiOptions;
}

export const TEI_RELEASE = 'tei';

/** TEI builds per CUDA compute capability: the pinned tag's release with the GPU family's build prefix. */
const TEI_BUILD: Readonly<Record<string, string>> = { L4: '89', A10: '86', T4: 'turing' };

export function teiImageTag(family: string, pinnedTag: string): string {
  const release = pinnedTag.includes('-') ? pinnedTag.slice(pinnedTag.indexOf('-') + 1) : pinnedTag;
  const build = TEI_BUILD[family.toUpperCase()];
  if (build === undefined) {
    throw new Error(`TEI has no image build for GPU family ${family}; known: ${Object.keys(TEI_BUILD).join(', ')}`);
  }
  return `${build}-${release}`;
}

/**
 * Text Embeddings Inference from our chart (charts/tei), one GPU per replica on the GPU pool: the pool's
 * node selector and taint toleration come from ClusterInfo; `nvidia.com/gpu: 1` is added by the chart to
 * requests and limits (not tunable, so it cannot be dropped by values).
 */
export class Tei extends Construct {
  readonly values: Values;
  readonly release: ChartRelease;

  constructor(scope: Construct, id: string, props: TeiProps) {
    super(scope, id);
    const { cluster, options } = props;
    const gpu = cluster.pools.gpu;
    const image = props.pins.images.tei;
    const defaults: Values = {
      replicaCount: options.replicas,
      image: { registry: cluster.imageMirror, repository: image.repository, tag: teiImageTag(gpu.family, image.tag) },
      model: {
        id: options.modelId,
        revision: options.revision,
        offline: true,
        cacheVolume: { existingClaim: options.modelCacheClaim ?? 'tei-model-cache', readOnly: true },
      },
      // Ports explicit, from the constants NetworkPolicies and the tenant contract use (chart defaults today).
      server: { maxBatchTokens: options.maxBatchTokens, port: PORTS.teiHttp, metricsPort: PORTS.teiMetrics },
      service: { port: PORTS.teiHttp, metricsPort: PORTS.teiMetrics },
      gpu: { family: gpu.family },
      nodeSelector: { ...gpu.nodeSelector },
      tolerations: gpu.tolerations.map((t) => ({ ...t })),
      priorityClassName: LATENCY_CRITICAL,
      serviceMonitor: { enabled: true },
    };
    this.values = deepMerge(defaults, props.values);
    this.release = new ChartRelease(this, 'release', {
      cluster,
      name: TEI_RELEASE,
      namespace: NS.embeddings,
      source: { kind: 'local', chart: 'tei' },
      values: this.values,
      dependsOn: props.dependsOn,
      // A GPU node may have to scale up from zero and load weights before the pods are ready.
      timeout: 1200,
    });
  }
}
