import { Construct } from 'constructs';
import { ChartRelease, mirroredRepository } from '../kubernetes/helm';
import { NS } from '../kubernetes/namespaces';
import { ExternalSecret } from '../kubernetes/external-secret';
import { PLATFORM_SUPPORT } from '../kubernetes/priority-classes';
import { deepMerge, Values } from '../kubernetes/values';
import { ComponentProps } from './component';
import { VALKEY_PORT, valkeyValues } from './valkey';

export interface IngestionQueueProps extends ComponentProps {
  /** Size of the volume (streams, AOF and the persisted ACL file). */
  readonly storageGi?: number;
}

/** Helm release (and Service) name of the tenants' ingestion queue in `data`. */
export const INGESTION_QUEUE_RELEASE = 'ingestion-valkey';
export const INGESTION_QUEUE_PORT = VALKEY_PORT;
/** The admin (`default`) user's password, in `data`: only the tenant ACL Jobs there read it. */
export const INGESTION_QUEUE_ADMIN_SECRET = { name: 'ingestion-valkey-auth', key: 'default' } as const;
/** Where the ACL file lives: on the data volume, so `ACL SAVE` survives a restart. */
export const INGESTION_QUEUE_ACL_FILE = '/data/users.acl';

/** The chart's volume names (valkey-io/valkey-helm: `dataStorage.volumeName` default, ACL emptyDir). */
const DATA_VOLUME = 'valkey-data';
const CHART_ACL_VOLUME = 'valkey-acl';

/**
 * Runs after the chart's init container, which writes the chart-managed users (here: only `default`, the
 * admin) to the in-memory `/etc/valkey/users.acl` at every start. The server reads the ACL file on the volume
 * instead (`aclfile` below), which also holds the tenant users the ACL Jobs created with `ACL SAVE`: this
 * replaces its `default` line with the fresh one (a rotated admin password takes effect) and keeps the rest.
 * Fails closed: without a `default` line from the chart it stops, rather than let Valkey start with a
 * password-less default user.
 */
export const ACL_MERGE_SCRIPT = `set -eu
grep -q '^user default ' /etc/valkey/users.acl || { echo "chart ACL file has no default user" >&2; exit 1; }
touch ${INGESTION_QUEUE_ACL_FILE}
{ grep -v '^user default ' ${INGESTION_QUEUE_ACL_FILE} || true; grep '^user default ' /etc/valkey/users.acl; } > ${INGESTION_QUEUE_ACL_FILE}.new
chmod 0600 ${INGESTION_QUEUE_ACL_FILE}.new
mv ${INGESTION_QUEUE_ACL_FILE}.new ${INGESTION_QUEUE_ACL_FILE}
echo "ACL file merged: $(grep -c '^user ' ${INGESTION_QUEUE_ACL_FILE}) users"
`;

const RESTRICTED_CONTAINER = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  runAsUser: 1000,
  runAsGroup: 1000,
  seccompProfile: { type: 'RuntimeDefault' },
};

/**
 * The tenants' ingestion queue: a Valkey of its own in `data`, separate from LiteLLM's rate-limit store
 * (a tenant that could write there could reset its own rate limits). Same pinned chart and image as
 * LiteLLM's Valkey (shared `valkeyValues`). Only the admin user `default` is declared here; each tenant stack
 * adds its own user (`tenant-<id>`, keys `tenant:<id>:*`, stream commands only) with a Job that runs
 * `ACL SETUSER` and `ACL SAVE` (lib/tenancy/queue-acl.ts). The ACL file and the streams (AOF) are on the
 * encrypted volume, so both survive a restart.
 */
export class IngestionQueue extends Construct {
  readonly values: Values;
  readonly release: ChartRelease;

  constructor(scope: Construct, id: string, props: IngestionQueueProps) {
    super(scope, id);
    const { cluster, pins } = props;
    const admin = new ExternalSecret(this, INGESTION_QUEUE_ADMIN_SECRET.name, {
      store: cluster.secretStore,
      environment: props.environment,
      component: 'ingestion-queue',
      namespace: NS.data,
      secretName: INGESTION_QUEUE_ADMIN_SECRET.name,
      data: { [INGESTION_QUEUE_ADMIN_SECRET.key]: 'admin-password' },
      dependsOn: props.dependsOn,
    });
    const base = valkeyValues({
      cluster,
      pins,
      usersSecret: admin.secretName,
      aclUsers: { default: { permissions: '~* &* +@all' } },
      storageGi: props.storageGi ?? 20,
    });
    const vk = pins.images.valkey;
    const defaults: Values = {
      ...base,
      // Appended last to the generated valkey.conf: the last `aclfile` wins. AOF: an acknowledged XADD
      // survives a restart (fsync every second).
      valkeyConfig: [`aclfile ${INGESTION_QUEUE_ACL_FILE}`, 'appendonly yes', 'appendfsync everysec'].join('\n'),
      extraInitContainers: [
        {
          name: 'acl-merge',
          image: `${mirroredRepository(cluster, vk)}:${vk.tag}`,
          imagePullPolicy: 'IfNotPresent',
          command: ['sh', '-c', ACL_MERGE_SCRIPT],
          securityContext: RESTRICTED_CONTAINER,
          resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '100m', memory: '32Mi' } },
          volumeMounts: [
            { name: DATA_VOLUME, mountPath: '/data' },
            { name: CHART_ACL_VOLUME, mountPath: '/etc/valkey', readOnly: true },
          ],
        },
      ],
      podSecurityContext: { fsGroup: 1000, runAsUser: 1000, runAsGroup: 1000, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
      securityContext: RESTRICTED_CONTAINER,
      resources: { requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } },
      priorityClassName: PLATFORM_SUPPORT,
      nodeSelector: { ...cluster.pools.general.nodeSelector },
      tolerations: cluster.pools.general.tolerations.map((t) => ({ ...t })),
    };
    this.values = deepMerge(defaults, props.values);
    this.release = new ChartRelease(this, 'release', {
      cluster,
      name: INGESTION_QUEUE_RELEASE,
      namespace: NS.data,
      source: { kind: 'mirror', pin: pins.charts.valkey },
      values: this.values,
      dependsOn: props.dependsOn,
    });
  }
}
