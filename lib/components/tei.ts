import { Construct } from 'constructs';
import { ChartRelease } from '../kubernetes/helm';
import { NS } from '../kubernetes/namespaces';
import { PORTS } from '../kubernetes/network-policies';
import { LATENCY_CRITICAL } from '../kubernetes/priority-classes';
import { deepMerge, Values } from '../kubernetes/values';
import { ComponentProps, NODE_KEY, podAntiAffinity, ZONE_KEY } from './component';
import { teiModelPrefix } from './tei-model';
import { GPU_TAINT } from '../sovereignty/gpu';

export interface TeiOptions {
  readonly modelId: string;
  /** 40-hex commit of the model repository. */
  readonly revision: string;
  readonly replicas: number;
  readonly maxBatchTokens: number;
  /** Size limit of each pod's model volume (the copied files, with headroom). */
  readonly modelVolumeGi?: number;
}

export interface TeiProps extends ComponentProps {
  readonly options: TeiOptions;
}

export const TEI_RELEASE = 'tei';
/** TEI's ServiceAccount: its workload identity reads the model prefix of the platform's object storage. */
export const TEI_SERVICE_ACCOUNT = 'tei';
/** Where the chart mounts the model volume (the init container copies into it, TEI reads it). */
const MODEL_VOLUME = '/data';

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
 * node selector comes from ClusterInfo; the GPU toleration and `nvidia.com/gpu: 1` are added by the chart
 * (not tunable, so they cannot be dropped by values).
 *
 * The model comes from inside the region: an init container (the cloud's CLI, from the mirror) copies the
 * staged revision (lib/components/tei-model.ts) from the platform's object storage into the pod's own
 * emptyDir with the pod's workload identity, which may only read that prefix; TEI then starts offline
 * (`HF_HUB_OFFLINE=1`) on the local directory. No volume has to exist or be filled beforehand.
 */
export class Tei extends Construct {
  readonly values: Values;
  readonly release: ChartRelease;

  constructor(scope: Construct, id: string, props: TeiProps) {
    super(scope, id);
    const { cluster, options } = props;
    const gpu = cluster.pools.gpu;
    const image = props.pins.images.tei;
    const prefix = teiModelPrefix(options.modelId, options.revision);
    const identity = cluster.bindWorkloadIdentity(this, {
      id: 'tei-model-reader',
      namespace: NS.embeddings,
      serviceAccount: TEI_SERVICE_ACCOUNT,
      readObjectPrefixes: [prefix],
    });
    const download = cluster.objectStorage.downloadPrefix(prefix, MODEL_VOLUME);
    const cli = props.pins.images[download.image];
    const defaults: Values = {
      replicaCount: options.replicas,
      image: { registry: cluster.imageMirror, repository: image.repository, tag: teiImageTag(gpu.family, image.tag) },
      model: {
        id: options.modelId,
        revision: options.revision,
        offline: true,
        path: prefix,
        cacheVolume: { existingClaim: '', sizeLimit: `${options.modelVolumeGi ?? 20}Gi` },
        initContainer: {
          enabled: true,
          image: { registry: cluster.imageMirror, repository: cli.repository, tag: cli.tag },
          command: [...download.command],
          env: Object.entries(download.env).map(([name, value]) => ({ name, value })),
        },
      },
      // Ports explicit, from the constants NetworkPolicies and the tenant contract use (chart defaults today).
      server: { maxBatchTokens: options.maxBatchTokens, port: PORTS.teiHttp, metricsPort: PORTS.teiMetrics },
      service: { port: PORTS.teiHttp, metricsPort: PORTS.teiMetrics },
      gpu: { family: gpu.family },
      nodeSelector: { ...gpu.nodeSelector },
      // The chart always tolerates the GPU taint; only further tolerations of the pool are passed on.
      tolerations: gpu.tolerations.filter((t) => t.key !== GPU_TAINT.key).map((t) => ({ ...t })),
      // Stateless (the chart's PDB: maxUnavailable 1): replicas prefer different zones and nodes. Only
      // preferred: GPU capacity differs per zone, and a node with several GPUs may rightly serve two replicas.
      affinity: podAntiAffinity({ 'app.kubernetes.io/name': 'tei', 'app.kubernetes.io/instance': TEI_RELEASE }, { preferred: [ZONE_KEY, NODE_KEY] }),
      serviceAccount: { create: true, name: TEI_SERVICE_ACCOUNT, annotations: { ...identity.serviceAccountAnnotations } },
      podLabels: { ...identity.podLabels },
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
      // The init container needs its credentials at pod admission: the identity's cloud side exists first.
      dependsOn: [...(props.dependsOn ?? []), ...(identity.resources ?? [])],
      // A GPU node may have to scale up from zero, and each pod copies the weights before loading them.
      timeout: 1200,
    });
  }
}
