import { Construct } from 'constructs';
import { ITerraformDependable } from 'cdktf';
import { CronJobV1 } from '../kubernetes/resources';
import type { CronJobV1SpecJobTemplateSpecTemplateSpecContainer, CronJobV1SpecJobTemplateSpecTemplateSpecContainerEnv } from '@cdktf/provider-kubernetes/lib/cron-job-v1';
import { PersistentVolumeClaimV1 } from '@cdktf/provider-kubernetes/lib/persistent-volume-claim-v1';
import { ServiceAccountV1 } from '@cdktf/provider-kubernetes/lib/service-account-v1';
import { ClusterInfo, ObjectStorageInfo } from '../cluster/cluster-info';
import { ENCRYPTED_STORAGE_CLASS } from '../kubernetes/storage-class';
import { RESTRICTED_POD_SECURITY_CONTEXT } from '../tenancy/security-context';

/**
 * What the store backups (QdrantBackup, ClickHouseBackup) share: a CronJob whose pods run as a workload
 * identity with the object-storage prefix of their store, stage their files on a standing claim of the
 * encrypted class (a standing claim rather than an ephemeral one: the class keeps released volumes, and
 * every run would leave one behind) and read their scripts from a ConfigMap of the backup's name.
 */

/** The volumes of a staged backup pod, as each container mounts them: scripts, scratch space, staging claim. */
export const STAGING_MOUNTS = [
  { name: 'spec', mountPath: '/spec', readOnly: true },
  { name: 'tmp', mountPath: '/tmp' },
  { name: 'work', mountPath: '/work' },
];

/** The environment of a python script in the storage's CLI image (ObjectStorageInfo.cliImage), staging under /work. */
export function objectStoreCliEnv(storage: ObjectStorageInfo): CronJobV1SpecJobTemplateSpecTemplateSpecContainerEnv[] {
  return [
    { name: 'PYTHONDONTWRITEBYTECODE', value: '1' },
    // The CLIs write their config and caches under HOME; the root filesystem is read-only.
    { name: 'HOME', value: '/tmp' },
    { name: 'AZURE_CONFIG_DIR', value: '/tmp/.azure' },
    { name: 'WORK_DIR', value: '/work' },
    { name: 'OBJECT_STORAGE_KIND', value: storage.kind },
    { name: 'OBJECT_STORAGE_BUCKET', value: storage.bucket },
    { name: 'OBJECT_STORAGE_ENDPOINT', value: storage.endpoint },
  ];
}

/** What a storage CLI container asks for: it copies one staged file at a time. */
export const OBJECT_STORE_CLI_RESOURCES = { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '1', memory: '1Gi' } };

/** The ServiceAccount the backup's pods run as: the workload identity's annotations, no API token. */
export function backupServiceAccount(scope: Construct, props: { name: string; namespace: string; labels: Record<string, string>; annotations: Record<string, string> }): ServiceAccountV1 {
  return new ServiceAccountV1(scope, 'service-account', {
    metadata: { name: props.name, namespace: props.namespace, labels: props.labels, annotations: { ...props.annotations } },
    automountServiceAccountToken: false,
  });
}

/** The staging claim `<name>-work`, in the encrypted class. */
export function stagingClaim(scope: Construct, props: { name: string; namespace: string; labels: Record<string, string>; storageGi: number; dependsOn?: ITerraformDependable[] }): PersistentVolumeClaimV1 {
  return new PersistentVolumeClaimV1(scope, 'work', {
    metadata: { name: stagingClaimName(props.name), namespace: props.namespace, labels: props.labels },
    spec: {
      storageClassName: ENCRYPTED_STORAGE_CLASS,
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: `${props.storageGi}Gi` } },
    },
    // WaitForFirstConsumer: the claim binds when the first run is scheduled, not at apply.
    waitUntilBound: false,
    dependsOn: props.dependsOn,
  });
}

const stagingClaimName = (backupName: string) => `${backupName}-work`;

export interface StagedCronJobProps {
  readonly cluster: ClusterInfo;
  /** The CronJob's name. */
  readonly name: string;
  /** The backup's name: its ServiceAccount, ConfigMap and staging claim (`<backupName>-work`). */
  readonly backupName: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  /** The workload identity's pod labels. */
  readonly podLabels: Record<string, string>;
  readonly annotations?: Record<string, string>;
  readonly schedule: string;
  readonly suspend?: boolean;
  readonly initContainers?: CronJobV1SpecJobTemplateSpecTemplateSpecContainer[];
  readonly containers: CronJobV1SpecJobTemplateSpecTemplateSpecContainer[];
  readonly dependsOn: ITerraformDependable[];
}

/** One CronJob of a staged backup (the backup itself, or a restore run as a Job made from it). */
export function stagedCronJob(scope: Construct, id: string, props: StagedCronJobProps): CronJobV1 {
  const { cluster, labels } = props;
  return new CronJobV1(scope, id, {
    metadata: { name: props.name, namespace: props.namespace, labels, annotations: props.annotations },
    spec: {
      schedule: props.schedule,
      suspend: props.suspend,
      timezone: 'Etc/UTC',
      // One run at a time: the runs share the staging claim (and a store's own snapshot space).
      concurrencyPolicy: 'Forbid',
      startingDeadlineSeconds: 3600,
      successfulJobsHistoryLimit: 1,
      failedJobsHistoryLimit: 2,
      jobTemplate: {
        metadata: { labels },
        spec: {
          backoffLimit: 1,
          activeDeadlineSeconds: 6 * 3600,
          template: {
            metadata: { labels: { ...labels, ...props.podLabels } },
            spec: {
              restartPolicy: 'Never',
              serviceAccountName: props.backupName,
              // The cloud's webhook projects the workload-identity token itself; no API token is needed.
              automountServiceAccountToken: false,
              securityContext: RESTRICTED_POD_SECURITY_CONTEXT,
              nodeSelector: { ...cluster.pools.general.nodeSelector },
              toleration: cluster.pools.general.tolerations.map((t) => ({ ...t })),
              initContainer: props.initContainers,
              container: props.containers,
              volume: [
                { name: 'spec', configMap: { name: props.backupName } },
                { name: 'tmp', emptyDir: { sizeLimit: '1Gi' } },
                { name: 'work', persistentVolumeClaim: { claimName: stagingClaimName(props.backupName) } },
              ],
            },
          },
        },
      },
    },
    dependsOn: props.dependsOn,
  });
}
