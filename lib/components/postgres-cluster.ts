import { Construct } from 'constructs';
import { ITerraformDependable } from 'cdktf';
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { ClusterInfo, ObjectStorageInfo } from '../cluster/cluster-info';
import { mirroredImage } from '../kubernetes/helm';
import { ExternalSecret } from '../kubernetes/external-secret';
import { Pins } from '../kubernetes/pins';
import { PLATFORM_SUPPORT } from '../kubernetes/priority-classes';
import { ENCRYPTED_STORAGE_CLASS } from '../kubernetes/storage-class';
import { postgresInstances } from './postgres-instances';

/** The Barman Cloud plugin's name, as Clusters and ScheduledBackups refer to it. */
export const BARMAN_CLOUD_PLUGIN = 'barman-cloud.cloudnative-pg.io';
/** Every Cluster's backups live below `postgres/<cluster>/` (barman's `<destinationPath>/<serverName>/`). */
export const POSTGRES_BACKUP_PREFIX = 'postgres';
/** Daily base backup, 02:00 UTC (CloudNativePG schedules have a seconds field first). */
export const BASE_BACKUP_SCHEDULE = '0 0 2 * * *';

/**
 * An existing Postgres to copy the database from when the Cluster is created (bootstrap.initdb.import,
 * pg_dump | pg_restore of that one database). The owner there has the same name and the same catalog
 * password as here (the old releases read the same `postgres-password` entry), so the Cluster's own
 * credentials Secret serves both ends.
 */
export interface PostgresImport {
  /** Service host of the old server. */
  readonly host: string;
}

export interface PostgresClusterProps {
  readonly cluster: ClusterInfo;
  readonly environment: string;
  readonly pins: Pins;
  /** Cluster name: its Services (`<name>-rw`), ServiceAccount and backup prefix (`postgres/<name>/`). */
  readonly name: string;
  readonly namespace: string;
  /** The application database and its owner (the only role; superuser access stays off). */
  readonly database: string;
  readonly owner: string;
  /** Secret-store component and key of the owner's generated password (lib/kubernetes/secret-catalog.ts). */
  readonly password: { readonly component: string; readonly key: string };
  readonly storageGi: number;
  /** Base backups and WAL are kept for this many days (the ObjectStore's retention policy). */
  readonly retentionDays: number;
  /** Bootstrap by importing an existing database instead of an empty initdb. */
  readonly importFrom?: PostgresImport;
  readonly dependsOn?: ITerraformDependable[];
}

/** Where barman writes on this cloud: the platform bucket/container, prefix `postgres` (serverName = Cluster name). */
export function backupDestination(storage: ObjectStorageInfo): string {
  // Azure's primary blob endpoint ends with `/` (https://<account>.blob.core.windows.net/).
  return storage.kind === 's3' ? `s3://${storage.bucket}/${POSTGRES_BACKUP_PREFIX}` : `${storage.endpoint}${storage.bucket}/${POSTGRES_BACKUP_PREFIX}`;
}

/**
 * `{ [key]: wrap(value) }` when `value` has entries, else nothing: the API server drops empty maps and lists,
 * which kubernetes_manifest would report as a change on every plan.
 */
function nonEmpty<T extends object>(key: string, value: T, wrap: (value: T) => unknown = (v) => v): Record<string, unknown> {
  return Object.keys(value).length > 0 ? { [key]: wrap(value) } : {};
}

/**
 * One CloudNativePG `Cluster` for one application database, with its backups:
 * - one instance per zone of the region (at least 2), required anti-affinity over zones (over nodes in a
 *   region without zones, where two instances survive a node or volume loss but not the zone's);
 * - volumes on the encrypted class; the owner's password is the generated catalog entry, synced by
 *   external-secrets (no value in the configuration), superuser access off;
 * - continuous WAL archiving and a daily base backup through the Barman Cloud plugin into the platform's
 *   own bucket/container below `postgres/<name>/`, as the Cluster's workload identity (no keys), limited to
 *   that prefix. On S3 barman sends no encryption header, so the bucket's default (SSE-KMS with the storage
 *   CMK) applies; an `aws:kms` header without a key id would select the AWS-managed key instead.
 * Terraform waits until the Cluster is Ready (and, with `importFrom`, the import is done) before the
 * consumers that depend on it switch over.
 */
export class PostgresCluster extends Construct {
  readonly name: string;
  readonly namespace: string;
  /** The read-write Service consumers connect to. */
  readonly host: string;
  readonly instances: number;
  readonly manifest: Manifest;
  readonly objectStore: Manifest;
  readonly scheduledBackup: Manifest;

  constructor(scope: Construct, id: string, props: PostgresClusterProps) {
    super(scope, id);
    const { cluster, name, namespace } = props;
    this.name = name;
    this.namespace = namespace;
    this.host = `${name}-rw.${namespace}.svc.cluster.local`;
    this.instances = postgresInstances(cluster.zoneCount);
    const credentials = new ExternalSecret(this, 'credentials', {
      store: cluster.secretStore,
      environment: props.environment,
      component: props.password.component,
      namespace,
      secretName: `${name}-credentials`,
      data: { password: props.password },
      literals: { username: props.owner },
      secretType: 'kubernetes.io/basic-auth',
      dependsOn: props.dependsOn,
    });
    // CloudNativePG names the instances' ServiceAccount after the Cluster; barman runs in the plugin's
    // sidecar of each instance pod, as that ServiceAccount.
    const identity = cluster.bindWorkloadIdentity(this, {
      id: name,
      namespace,
      serviceAccount: name,
      objectStoragePrefix: `${POSTGRES_BACKUP_PREFIX}/${name}/`,
      objectStorageBucketCheck: true,
    });
    const storage = cluster.objectStorage;
    const storeName = `${name}-backups`;
    this.objectStore = new Manifest(this, 'object-store', {
      manifest: {
        apiVersion: 'barmancloud.cnpg.io/v1',
        kind: 'ObjectStore',
        metadata: { name: storeName, namespace },
        spec: {
          configuration: {
            destinationPath: backupDestination(storage),
            ...(storage.kind === 's3' ? { s3Credentials: { inheritFromIAMRole: true } } : { azureCredentials: { inheritFromAzureAD: true } }),
            wal: { compression: 'gzip' },
            data: { compression: 'gzip' },
          },
          retentionPolicy: `${props.retentionDays}d`,
          // Pod Identity sets no region, and boto3 would otherwise sign for us-east-1 and leave the region.
          ...(storage.kind === 's3' ? { instanceSidecarConfiguration: { env: [{ name: 'AWS_DEFAULT_REGION', value: storage.endpoint }] } } : {}),
        },
      },
      dependsOn: props.dependsOn,
    });
    const zoned = cluster.zoneCount > 1;
    const general = cluster.pools.general;
    const image = props.pins.images['cnpg-postgresql'];
    const importFrom = props.importFrom;
    this.manifest = new Manifest(this, 'cluster', {
      manifest: {
        apiVersion: 'postgresql.cnpg.io/v1',
        kind: 'Cluster',
        metadata: { name, namespace },
        spec: {
          instances: this.instances,
          imageName: mirroredImage(cluster, image),
          enableSuperuserAccess: false,
          priorityClassName: PLATFORM_SUPPORT,
          storage: { storageClass: ENCRYPTED_STORAGE_CLASS, size: `${props.storageGi}Gi` },
          affinity: {
            enablePodAntiAffinity: true,
            podAntiAffinityType: 'required',
            topologyKey: zoned ? 'topology.kubernetes.io/zone' : 'kubernetes.io/hostname',
            nodeSelector: { ...general.nodeSelector },
            ...nonEmpty('tolerations', general.tolerations.map((t) => ({ ...t }))),
          },
          // The cloud's identity on the instances' ServiceAccount and pods (AKS: client-id annotation and the
          // azure.workload.identity/use label; EKS: nothing, the Pod Identity association names the ServiceAccount).
          ...nonEmpty('serviceAccountTemplate', identity.serviceAccountAnnotations, (annotations) => ({ metadata: { annotations } })),
          ...nonEmpty('inheritedMetadata', identity.podLabels, (labels) => ({ labels })),
          bootstrap: {
            initdb: {
              database: props.database,
              owner: props.owner,
              secret: { name: credentials.secretName },
              ...(importFrom ? { import: { type: 'microservice', databases: [props.database], source: { externalCluster: 'legacy' } } } : {}),
            },
          },
          ...(importFrom
            ? {
                externalClusters: [
                  {
                    name: 'legacy',
                    connectionParameters: { host: importFrom.host, port: '5432', user: props.owner, dbname: props.database },
                    password: { name: credentials.secretName, key: 'password' },
                  },
                ],
              }
            : {}),
          plugins: [{ name: BARMAN_CLOUD_PLUGIN, isWALArchiver: true, parameters: { barmanObjectName: storeName } }],
        },
      },
      wait: { condition: [{ type: 'Ready', status: 'True' }] },
      timeouts: { create: '30m', update: '30m' },
      // The identity's cloud side first: Pod Identity hands credentials only to pods admitted after it.
      dependsOn: [...(props.dependsOn ?? []), credentials.manifest, this.objectStore, ...(identity.resources ?? [])],
    });
    this.scheduledBackup = new Manifest(this, 'scheduled-backup', {
      manifest: {
        apiVersion: 'postgresql.cnpg.io/v1',
        kind: 'ScheduledBackup',
        metadata: { name: `${name}-daily`, namespace },
        spec: {
          schedule: BASE_BACKUP_SCHEDULE,
          // A first base backup right away: until one exists, the archived WAL alone restores nothing.
          immediate: true,
          backupOwnerReference: 'self',
          cluster: { name },
          method: 'plugin',
          pluginConfiguration: { name: BARMAN_CLOUD_PLUGIN },
        },
      },
      dependsOn: [this.manifest],
    });
  }
}
