import { Construct } from 'constructs';
import { TerraformOutput } from 'cdktf';
import { ChartRelease, mirroredRepository } from '../kubernetes/helm';
import { NS } from '../kubernetes/namespaces';
import { ENCRYPTED_STORAGE_CLASS } from '../kubernetes/storage-class';
import { ExternalSecret } from '../kubernetes/external-secret';
import { LATENCY_CRITICAL } from '../kubernetes/priority-classes';
import { deepMerge, Values } from '../kubernetes/values';
import { ComponentProps, zoneSpread } from './component';

/** Above this many vectors, int8 scalar quantization keeps the working set in RAM (reference architecture). */
export const QUANTIZATION_THRESHOLD = 50_000_000;

export interface QdrantOptions {
  readonly replicas: number;
  /** Shards per collection; defaults to 2x the peers (shards do not rebalance on scale). */
  readonly shards?: number;
  readonly replicationFactor: number;
  readonly storageGi: number;
  readonly expectedVectors: number;
}

export interface QdrantProps extends ComponentProps {
  readonly options: QdrantOptions;
}

export const QDRANT_RELEASE = 'qdrant';
export const QDRANT_API_KEY_SECRET = 'qdrant-api-key';

/**
 * Qdrant in cluster mode on encrypted volumes, API keys from the secret store. Qdrant has no setting for
 * a default shard number: the orchestrator creates each collection with `shard_number` and
 * `replication_factor` from the `rag.platform/collection-*` annotations (replication also set as the
 * server default below, so a collection created without it is still replicated).
 */
export class Qdrant extends Construct {
  readonly values: Values;
  readonly release: ChartRelease;
  readonly shards: number;
  readonly quantizationAdvised: boolean;

  constructor(scope: Construct, id: string, props: QdrantProps) {
    super(scope, id);
    const { cluster, options } = props;
    this.shards = options.shards ?? options.replicas * 2;
    this.quantizationAdvised = options.expectedVectors > QUANTIZATION_THRESHOLD;
    const secret = new ExternalSecret(this, 'api-keys', {
      store: cluster.secretStore,
      environment: props.environment,
      component: 'qdrant',
      namespace: NS.vectordb,
      secretName: QDRANT_API_KEY_SECRET,
      data: { 'api-key': 'api-key', 'read-only-api-key': 'read-only-api-key' },
      dependsOn: props.dependsOn,
    });
    const selector = { 'app.kubernetes.io/name': 'qdrant', 'app.kubernetes.io/instance': QDRANT_RELEASE };
    const image = props.pins.images.qdrant;
    const defaults: Values = {
      replicaCount: options.replicas,
      image: { repository: mirroredRepository(cluster, image), tag: image.tag, useUnprivilegedImage: false },
      config: {
        cluster: { enabled: true },
        storage: { collection: { replication_factor: options.replicationFactor, write_consistency_factor: 1 } },
      },
      additionalAnnotations: {
        'rag.platform/collection-shards': String(this.shards),
        'rag.platform/collection-replication-factor': String(options.replicationFactor),
        'rag.platform/quantization': this.quantizationAdvised ? 'int8-scalar-advised' : 'none',
      },
      persistence: { storageClassName: ENCRYPTED_STORAGE_CLASS, size: `${options.storageGi}Gi`, accessModes: ['ReadWriteOnce'] },
      // fsGroup owns the volume; the chart's root chown init container would break Pod Security restricted.
      updateVolumeFsOwnership: false,
      containerSecurityContext: {
        runAsNonRoot: true,
        runAsUser: 1000,
        runAsGroup: 2000,
        allowPrivilegeEscalation: false,
        privileged: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL'] },
        seccompProfile: { type: 'RuntimeDefault' },
      },
      apiKey: { valueFrom: { secretKeyRef: { name: secret.secretName, key: 'api-key' } } },
      readOnlyApiKey: { valueFrom: { secretKeyRef: { name: secret.secretName, key: 'read-only-api-key' } } },
      // HA needs replication >= 2; one peer at a time may go.
      podDisruptionBudget: { enabled: true, maxUnavailable: 1 },
      metrics: {
        serviceMonitor: {
          enabled: true,
          authorization: { type: 'Bearer', credentials: { name: secret.secretName, key: 'read-only-api-key' } },
        },
      },
      priorityClassName: LATENCY_CRITICAL,
      nodeSelector: { ...cluster.pools.general.nodeSelector },
      tolerations: cluster.pools.general.tolerations.map((t) => ({ ...t })),
      topologySpreadConstraints: zoneSpread(selector, 'DoNotSchedule'),
    };
    this.values = deepMerge(defaults, props.values);
    this.release = new ChartRelease(this, 'release', {
      cluster,
      name: QDRANT_RELEASE,
      namespace: NS.vectordb,
      source: { kind: 'mirror', pin: props.pins.charts.qdrant },
      values: this.values,
      dependsOn: [...(props.dependsOn ?? [])],
    });
    if (this.quantizationAdvised) {
      new TerraformOutput(this, 'quantization-advice', {
        description: 'Qdrant sizing advice from the expected vector count',
        value: `${options.expectedVectors} expected vectors > ${QUANTIZATION_THRESHOLD}: create collections with int8 scalar quantization (quantization_config.scalar.type=int8, always_ram=true) and originals on disk.`,
      });
    }
  }
}
