import { Construct } from 'constructs';
import { ITerraformDependable } from 'cdktf';
import { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1';
import { CronJobV1 } from '../kubernetes/resources';
import { ClusterInfo } from '../cluster/cluster-info';
import { mirroredImage } from '../kubernetes/helm';
import { NS } from '../kubernetes/namespaces';
import { PODS, PORTS } from '../kubernetes/network-policies';
import { Pins } from '../kubernetes/pins';
import { BACKUP_ANNOTATIONS } from '../kubernetes/shared-labels';
import { RESTRICTED_CONTAINER_SECURITY_CONTEXT } from '../tenancy/security-context';
import { backupServiceAccount, OBJECT_STORE_CLI_RESOURCES, objectStoreCliEnv, STAGING_MOUNTS, stagedCronJob, stagingClaim } from './staged-backup-job';
import { QDRANT_BACKUP_SCRIPT } from './qdrant-backup-script';

/** Where the snapshots go in the platform's bucket/container: `qdrant/<peer>/<collection>/<stamp>.snapshot`. */
export const QDRANT_BACKUP_PREFIX = 'qdrant/';
export const QDRANT_BACKUP_NAME = 'qdrant-backup';

export interface QdrantBackupOptions {
  /** Cron schedule, UTC. */
  readonly schedule: string;
  /** Snapshots older than this are pruned (never the newest of a peer and collection). */
  readonly retentionDays: number;
}

export interface QdrantBackupProps {
  readonly cluster: ClusterInfo;
  readonly pins: Pins;
  readonly options: QdrantBackupOptions;
  /** The StatefulSet's pods `<release>-0..n-1`, reached one by one through the headless Service. */
  readonly release: string;
  readonly replicas: number;
  /** Per-peer volume size: the largest snapshot of one collection on one peer fits in it. */
  readonly storageGi: number;
  readonly apiKeySecret: { readonly name: string; readonly key: string };
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * Scheduled Qdrant snapshots into the platform's object storage, in-region (docs/restore.md): a CronJob in
 * the Qdrant namespace runs QDRANT_BACKUP_SCRIPT in the cloud CLI image of the storage (from the mirror) as
 * its own workload identity, which may read, write and delete under `qdrant/` only. A snapshot is staged on
 * a volume of the encrypted class (the storage CMK), one file at a time: a standing claim rather than an
 * ephemeral one, because the class keeps released volumes (Retain) and every run would leave one behind.
 * The restore runs the same script in `restore` mode from a Job made of this CronJob (docs/restore.md).
 */
export class QdrantBackup extends Construct {
  readonly cronJob: CronJobV1;

  constructor(scope: Construct, id: string, props: QdrantBackupProps) {
    super(scope, id);
    const { cluster, options } = props;
    const namespace = NS.vectordb;
    const labels = { ...PODS.qdrantBackup.pods };
    const storage = cluster.objectStorage;
    const identity = cluster.bindWorkloadIdentity(this, {
      id: QDRANT_BACKUP_NAME,
      namespace,
      serviceAccount: QDRANT_BACKUP_NAME,
      objectStoragePrefix: QDRANT_BACKUP_PREFIX,
    });
    const serviceAccount = backupServiceAccount(this, { name: QDRANT_BACKUP_NAME, namespace, labels, annotations: identity.serviceAccountAnnotations });
    const peers = Array.from({ length: props.replicas }, (_, i) => ({
      name: `${props.release}-${i}`,
      url: `http://${props.release}-${i}.${props.release}-headless.${namespace}.svc.cluster.local:${PORTS.qdrantHttp}`,
    }));
    const spec = { peers, prefix: QDRANT_BACKUP_PREFIX, retentionDays: options.retentionDays };
    const configMap = new ConfigMapV1(this, 'spec', {
      metadata: { name: QDRANT_BACKUP_NAME, namespace, labels },
      data: { 'backup.json': JSON.stringify(spec, null, 2), 'qdrant-backup.py': QDRANT_BACKUP_SCRIPT },
      dependsOn: props.dependsOn,
    });
    const work = stagingClaim(this, { name: QDRANT_BACKUP_NAME, namespace, labels, storageGi: props.storageGi, dependsOn: props.dependsOn });
    this.cronJob = stagedCronJob(this, 'cron-job', {
      cluster,
      name: QDRANT_BACKUP_NAME,
      backupName: QDRANT_BACKUP_NAME,
      namespace,
      labels,
      podLabels: identity.podLabels,
      annotations: {
        [BACKUP_ANNOTATIONS.of]: props.release,
        [BACKUP_ANNOTATIONS.destination]: storage.location(QDRANT_BACKUP_PREFIX),
        [BACKUP_ANNOTATIONS.retention]: `${options.retentionDays} days (the newest snapshot of each peer and collection is always kept)`,
      },
      schedule: options.schedule,
      containers: [
        {
          name: 'backup',
          image: mirroredImage(cluster, props.pins.images[storage.cliImage]),
          command: ['python3', '/spec/qdrant-backup.py', '/spec/backup.json'],
          args: ['backup'],
          env: [...objectStoreCliEnv(storage), { name: 'QDRANT_API_KEY', valueFrom: { secretKeyRef: { name: props.apiKeySecret.name, key: props.apiKeySecret.key } } }],
          resources: OBJECT_STORE_CLI_RESOURCES,
          securityContext: RESTRICTED_CONTAINER_SECURITY_CONTEXT,
          volumeMount: STAGING_MOUNTS,
        },
      ],
      // Pods created before the identity's cloud side exists start without credentials.
      dependsOn: [configMap, work, serviceAccount, ...(identity.resources ?? []), ...(props.dependsOn ?? [])],
    });
  }
}
