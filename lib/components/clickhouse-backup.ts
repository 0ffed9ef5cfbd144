import { Construct } from 'constructs';
import { ITerraformDependable } from 'cdktf';
import { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1';
import { CronJobV1 } from '../kubernetes/resources';
import type { CronJobV1SpecJobTemplateSpecTemplateSpecContainer } from '@cdktf/provider-kubernetes/lib/cron-job-v1';
import { ClusterInfo } from '../cluster/cluster-info';
import { mirroredImage } from '../kubernetes/helm';
import { NS } from '../kubernetes/namespaces';
import { PODS, PORTS } from '../kubernetes/network-policies';
import { Pins } from '../kubernetes/pins';
import { BACKUP_ANNOTATIONS } from '../kubernetes/shared-labels';
import { RESTRICTED_CONTAINER_SECURITY_CONTEXT } from '../tenancy/security-context';
import { backupServiceAccount, OBJECT_STORE_CLI_RESOURCES, objectStoreCliEnv, STAGING_MOUNTS, stagedCronJob, stagingClaim } from './staged-backup-job';
import { CLICKHOUSE_DUMP_SCRIPT, CLICKHOUSE_STORE_SCRIPT } from './clickhouse-backup-script';

/** Where the dumps go in the platform's bucket/container: `clickhouse/<stamp>/<db>/<table>.{sql,native}`. */
export const CLICKHOUSE_BACKUP_PREFIX = 'clickhouse/';
export const CLICKHOUSE_BACKUP_NAME = 'clickhouse-backup';
/** The restore: a suspended CronJob that only ever runs as a Job created from it (docs/restore.md). */
export const CLICKHOUSE_RESTORE_NAME = 'clickhouse-restore';

export interface ClickHouseBackupOptions {
  /** Cron schedule, UTC. */
  readonly schedule: string;
  /** Backups older than this are pruned (never the newest complete one). */
  readonly retentionDays: number;
  /** Staging volume: one whole dump (Native is uncompressed) fits in it. */
  readonly workGi: number;
}

export interface ClickHouseBackupProps {
  readonly cluster: ClusterInfo;
  readonly pins: Pins;
  readonly options: ClickHouseBackupOptions;
  /** The ClickHouse Service the client connects to (native protocol) and the user it signs in as. */
  readonly host: string;
  readonly user: string;
  readonly passwordSecret: { readonly name: string; readonly key: string };
  /** The Helm release whose ClickHouse volumes this protects (the evidence pack's key). */
  readonly release: string;
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * Scheduled logical backups of Langfuse's ClickHouse into the platform's object storage (docs/restore.md):
 * a CronJob in `observability` whose init container dumps every table with `clickhouse-client` (the pinned
 * server image carries it; ClickHouse's servers need no identity or setting for this), then the storage's
 * CLI image uploads the dump as the Job's own workload identity (read/write/delete under `clickhouse/`),
 * writes the manifest last and prunes. The dump is staged on a standing claim of the encrypted class for the
 * same reason as the Qdrant snapshots' (the class keeps released volumes). The restore CronJob is suspended
 * and runs the two halves the other way round: download, then load.
 */
export class ClickHouseBackup extends Construct {
  readonly cronJob: CronJobV1;
  readonly restore: CronJobV1;

  constructor(scope: Construct, id: string, props: ClickHouseBackupProps) {
    super(scope, id);
    const { cluster, options } = props;
    const namespace = NS.observability;
    const labels = { ...PODS.clickhouseBackup.pods };
    const storage = cluster.objectStorage;
    const identity = cluster.bindWorkloadIdentity(this, {
      id: CLICKHOUSE_BACKUP_NAME,
      namespace,
      serviceAccount: CLICKHOUSE_BACKUP_NAME,
      objectStoragePrefix: CLICKHOUSE_BACKUP_PREFIX,
    });
    const serviceAccount = backupServiceAccount(this, { name: CLICKHOUSE_BACKUP_NAME, namespace, labels, annotations: identity.serviceAccountAnnotations });
    const spec = { prefix: CLICKHOUSE_BACKUP_PREFIX, retentionDays: options.retentionDays };
    const configMap = new ConfigMapV1(this, 'spec', {
      metadata: { name: CLICKHOUSE_BACKUP_NAME, namespace, labels },
      data: { 'backup.json': JSON.stringify(spec, null, 2), 'clickhouse-backup.sh': CLICKHOUSE_DUMP_SCRIPT, 'clickhouse-store.py': CLICKHOUSE_STORE_SCRIPT },
      dependsOn: props.dependsOn,
    });
    const work = stagingClaim(this, { name: CLICKHOUSE_BACKUP_NAME, namespace, labels, storageGi: options.workGi, dependsOn: props.dependsOn });
    const common = { securityContext: RESTRICTED_CONTAINER_SECURITY_CONTEXT, volumeMount: STAGING_MOUNTS };
    const clickhouse = (mode: 'dump' | 'load'): CronJobV1SpecJobTemplateSpecTemplateSpecContainer => ({
      name: mode,
      image: mirroredImage(cluster, props.pins.images['clickhouse-server']),
      command: ['sh', '/spec/clickhouse-backup.sh', mode],
      env: [
        { name: 'HOME', value: '/tmp' },
        { name: 'WORK_DIR', value: '/work' },
        { name: 'CLICKHOUSE_HOST', value: props.host },
        { name: 'CLICKHOUSE_PORT', value: String(PORTS.clickhouseNative) },
        { name: 'CLICKHOUSE_USER', value: props.user },
        { name: 'CLICKHOUSE_PASSWORD', valueFrom: { secretKeyRef: { name: props.passwordSecret.name, key: props.passwordSecret.key } } },
      ],
      resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '1', memory: '2Gi' } },
      ...common,
    });
    const store = (args: string[]): CronJobV1SpecJobTemplateSpecTemplateSpecContainer => ({
      name: args[0],
      image: mirroredImage(cluster, props.pins.images[storage.cliImage]),
      command: ['python3', '/spec/clickhouse-store.py', '/spec/backup.json'],
      args,
      env: objectStoreCliEnv(storage),
      resources: OBJECT_STORE_CLI_RESOURCES,
      ...common,
    });
    const cronJob = (name: string, first: CronJobV1SpecJobTemplateSpecTemplateSpecContainer, second: CronJobV1SpecJobTemplateSpecTemplateSpecContainer, extra: { schedule: string; suspend?: boolean; annotations?: Record<string, string> }) =>
      stagedCronJob(this, name === CLICKHOUSE_BACKUP_NAME ? 'cron-job' : 'restore', {
        cluster,
        name,
        backupName: CLICKHOUSE_BACKUP_NAME,
        namespace,
        labels,
        podLabels: identity.podLabels,
        ...extra,
        initContainers: [first],
        containers: [second],
        // Pods created before the identity's cloud side exists start without credentials.
        dependsOn: [configMap, work, serviceAccount, ...(identity.resources ?? []), ...(props.dependsOn ?? [])],
      });
    this.cronJob = cronJob(CLICKHOUSE_BACKUP_NAME, clickhouse('dump'), store(['backup']), {
      schedule: options.schedule,
      annotations: {
        // The servers' volumes only: Keeper holds no trace data, and the release's Valkey is not backed up.
        [BACKUP_ANNOTATIONS.of]: `${props.release}#clickhouse.cluster.storage`,
        [BACKUP_ANNOTATIONS.destination]: storage.location(CLICKHOUSE_BACKUP_PREFIX),
        [BACKUP_ANNOTATIONS.retention]: `${options.retentionDays} days (the newest complete backup is always kept)`,
      },
    });
    // Never scheduled: `kubectl create job --from=cronjob/clickhouse-restore` runs it (docs/restore.md).
    this.restore = cronJob(CLICKHOUSE_RESTORE_NAME, store(['download', 'latest']), clickhouse('load'), { schedule: '0 0 1 1 *', suspend: true });
  }
}
