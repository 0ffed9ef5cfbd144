import { Construct } from 'constructs';
import { ChartRelease, mirroredImage, mirroredRepository } from '../kubernetes/helm';
import { PORTS } from '../kubernetes/network-policies';
import { QdrantCollection, QdrantCollections } from './qdrant-collections';
import { QdrantBackup, QdrantBackupOptions } from './qdrant-backup';
import { NS } from '../kubernetes/namespaces';
import { ENCRYPTED_STORAGE_CLASS } from '../kubernetes/storage-class';
import { ExternalSecret } from '../kubernetes/external-secret';
import { LATENCY_CRITICAL } from '../kubernetes/priority-classes';
import { deepMerge, Values } from '../kubernetes/values';
import { ComponentProps, NODE_KEY, podAntiAffinity, zoneSpread } from './component';

/** Above this many vectors, int8 scalar quantization keeps the working set in RAM (reference architecture). */
export const QUANTIZATION_THRESHOLD = 50_000_000;

export interface QdrantOptions {
  readonly replicas: number;
  /** Shards per collection; defaults to 2x the peers (shards do not rebalance on scale). */
  readonly shards?: number;
  readonly replicationFactor: number;
  readonly storageGi: number;
  readonly expectedVectors: number;
  /** The shared collections to create (one per corpus). */
  readonly collections: readonly QdrantCollection[];
  /** The embedding model's output size (the collections' vector size). */
  readonly vectorSize: number;
  /** Replicas that must acknowledge a write; defaults to 1 (the rest replicate asynchronously). */
  readonly writeConsistencyFactor?: number;
  /** Scheduled snapshots into the platform's object storage. */
  readonly backup: QdrantBackupOptions;
}

export interface QdrantProps extends ComponentProps {
  readonly options: QdrantOptions;
}

export const QDRANT_RELEASE = 'qdrant';
export const QDRANT_API_KEY_SECRET = 'qdrant-api-key';
/** Keys of that Secret: the admin key (orchestrator, collection Job) and the read-only key (metrics). */
export const QDRANT_API_KEY_SECRET_KEYS = { admin: 'api-key', readOnly: 'read-only-api-key' } as const;

/**
 * Qdrant in cluster mode on encrypted volumes, API keys from the secret store as `secretKeyRef` env
 * (QDRANT__SERVICE__API_KEY / READ_ONLY_API_KEY): the chart's own `apiKey.valueFrom` is resolved with Helm
 * `lookup` at render time, before the ExternalSecret has created the Secret. The collections (shards,
 * replication, quantization) are created by QdrantCollections; replication is also the server default,
 * so a collection created another way is still replicated.
 */
export class Qdrant extends Construct {
  readonly values: Values;
  readonly release: ChartRelease;
  readonly shards: number;
  /** Collections get int8 scalar quantization (expected vectors above the threshold). */
  readonly quantized: boolean;
  readonly collections: QdrantCollections;
  readonly backup: QdrantBackup;

  constructor(scope: Construct, id: string, props: QdrantProps) {
    super(scope, id);
    const { cluster, options } = props;
    this.shards = options.shards ?? options.replicas * 2;
    this.quantized = options.expectedVectors > QUANTIZATION_THRESHOLD;
    const writeConsistencyFactor = options.writeConsistencyFactor ?? 1;
    const secret = new ExternalSecret(this, 'api-keys', {
      store: cluster.secretStore,
      environment: props.environment,
      component: 'qdrant',
      namespace: NS.vectordb,
      secretName: QDRANT_API_KEY_SECRET,
      data: { [QDRANT_API_KEY_SECRET_KEYS.admin]: 'api-key', [QDRANT_API_KEY_SECRET_KEYS.readOnly]: 'read-only-api-key' },
      dependsOn: props.dependsOn,
    });
    const selector = { 'app.kubernetes.io/name': 'qdrant', 'app.kubernetes.io/instance': QDRANT_RELEASE };
    const image = props.pins.images.qdrant;
    const defaults: Values = {
      replicaCount: options.replicas,
      image: { repository: mirroredRepository(cluster, image), tag: image.tag, useUnprivilegedImage: false },
      config: {
        cluster: { enabled: true },
        storage: { collection: { replication_factor: options.replicationFactor, write_consistency_factor: writeConsistencyFactor } },
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
      env: [
        { name: 'QDRANT__SERVICE__API_KEY', valueFrom: { secretKeyRef: { name: secret.secretName, key: QDRANT_API_KEY_SECRET_KEYS.admin } } },
        { name: 'QDRANT__SERVICE__READ_ONLY_API_KEY', valueFrom: { secretKeyRef: { name: secret.secretName, key: QDRANT_API_KEY_SECRET_KEYS.readOnly } } },
      ],
      // HA needs replication >= 2; one peer at a time may go.
      podDisruptionBudget: { enabled: true, maxUnavailable: 1 },
      metrics: {
        serviceMonitor: {
          enabled: true,
          authorization: { type: 'Bearer', credentials: { name: secret.secretName, key: QDRANT_API_KEY_SECRET_KEYS.readOnly } },
        },
      },
      priorityClassName: LATENCY_CRITICAL,
      nodeSelector: { ...cluster.pools.general.nodeSelector },
      tolerations: cluster.pools.general.tolerations.map((t) => ({ ...t })),
      // One peer per zone (hard: a zone loss takes one peer), never two peers on one node (a node or volume
      // loss takes one peer, also in a region without zones). That keeps every shard readable through the
      // loss of one zone only while replication_factor > peers per zone: lib/config/rules.ts enforces it.
      topologySpreadConstraints: zoneSpread(selector, 'DoNotSchedule'),
      affinity: podAntiAffinity(selector, { required: [NODE_KEY] }),
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
    this.collections = new QdrantCollections(this, 'collections', {
      collections: options.collections,
      vectorSize: options.vectorSize,
      shards: this.shards,
      replicationFactor: options.replicationFactor,
      writeConsistencyFactor,
      quantize: this.quantized,
      image: mirroredImage(cluster, props.pins.images['tenant-provisioner']),
      apiKeySecret: { name: secret.secretName, key: QDRANT_API_KEY_SECRET_KEYS.admin },
      qdrantUrl: `http://${QDRANT_RELEASE}.${NS.vectordb}.svc.cluster.local:${PORTS.qdrantHttp}`,
      dependsOn: [this.release.release],
    });
    this.backup = new QdrantBackup(this, 'backup', {
      cluster,
      pins: props.pins,
      options: options.backup,
      release: QDRANT_RELEASE,
      replicas: options.replicas,
      storageGi: options.storageGi,
      apiKeySecret: { name: secret.secretName, key: QDRANT_API_KEY_SECRET_KEYS.admin },
      dependsOn: [this.release.release],
    });
  }
}
