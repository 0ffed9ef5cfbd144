import { createHash } from 'crypto';
import { Construct } from 'constructs';
import { ITerraformDependable } from 'cdktf';
import { JobV1 } from '../kubernetes/resources';
import type { JobV1SpecTemplateSpecContainerEnv } from '@cdktf/provider-kubernetes/lib/job-v1';
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { PROVISIONER_COMPONENTS } from '../kubernetes/shared-labels';
import { tenantLabels, tenantObjectName } from './labels';
import { endpointHost, PLATFORM_ENDPOINTS, PLATFORM_NAMESPACES, QUEUE_ADMIN_SECRET } from './platform-contract';
import { StoreAccess } from './controller-store';
import { TenantQueue } from './queue';
import { RESTRICTED_CONTAINER_SECURITY_CONTEXT, RESTRICTED_POD_SECURITY_CONTEXT } from './security-context';

/**
 * The environment every queue Job's valkey-cli needs (QUEUE_CLI_PRELUDE reads it) to act as admin on the
 * tenant's ACL user: the connection and user come first, the admin password last, so a Job adds its own
 * variables in between.
 */
export function queueCliEnv(username: string): { connection: JobV1SpecTemplateSpecContainerEnv[]; auth: JobV1SpecTemplateSpecContainerEnv[] } {
  const endpoint = PLATFORM_ENDPOINTS.queue;
  const adminPassword = { secretKeyRef: { name: QUEUE_ADMIN_SECRET.name, key: QUEUE_ADMIN_SECRET.key } };
  return {
    connection: [
      { name: 'QUEUE_HOST', value: endpointHost(endpoint) },
      { name: 'QUEUE_PORT', value: String(endpoint.servicePort) },
      { name: 'ACL_USER', value: username },
    ],
    // valkey-cli reads the password of the connection from REDISCLI_AUTH (VALKEYCLI_AUTH in newer releases).
    auth: [
      { name: 'REDISCLI_AUTH', valueFrom: adminPassword },
      { name: 'VALKEYCLI_AUTH', valueFrom: adminPassword },
    ],
  };
}

export interface TenantQueueAclProps {
  readonly tenantId: string;
  readonly queue: TenantQueue;
  /** Secret-store path of the tenant's queue password (under the tenant's prefix). */
  readonly passwordRemoteKey: string;
  /** The store the password is read from (`data` side). */
  readonly store: StoreAccess;
  /** The pinned valkey image in the mirror (valkey-cli). */
  readonly image: string;
  /** What writes the password to the store first (the PushSecret of GeneratedTenantSecret). */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * The ACL rules of a tenant's Valkey user, after `on resetpass resetkeys resetchannels` (the password
 * follows on stdin). `-@all` first, then only:
 *  - `@stream`: XADD, XREADGROUP, XACK, XCLAIM/XAUTOCLAIM, XGROUP CREATE, XLEN, XRANGE, and the XINFO GROUPS
 *    / XPENDING that KEDA's redis-streams scaler runs for `lagCount` / `pendingEntriesCount`;
 *  - `@connection`: AUTH, HELLO, PING, CLIENT SETNAME/SETINFO that client libraries send on connect;
 *  - minus `@dangerous`, which takes back what `@connection` would also grant across tenants
 *    (CLIENT LIST / CLIENT KILL / CLIENT PAUSE see or disturb other tenants' connections).
 * Keys are limited to `tenant:<id>:*` and no Pub/Sub channel is allowed.
 */
export function tenantAclRules(queue: TenantQueue): string[] {
  return ['on', 'resetpass', 'resetkeys', `~${queue.keyPattern}`, 'resetchannels', '-@all', '+@stream', '+@connection', '-@dangerous'];
}

/**
 * POSIX sh for the Job (valkey-cli from the pinned valkey image, nothing else). Idempotent: `ACL SETUSER`
 * with `resetpass`/`resetkeys`/`resetchannels` converges the user to exactly these rules whatever it was,
 * then `ACL SAVE` writes the ACL file on the queue's volume so the user survives a restart. The password
 * reaches valkey-cli on stdin (`-x`: last argument), never on a command line; the admin password through
 * REDISCLI_AUTH. It prints replies and names only, never a password.
 */
/** POSIX sh: `cli` as the queue's admin (REDISCLI_AUTH), after waiting up to 10 minutes for the queue; shared by the ACL and offboarding Jobs. */
export const QUEUE_CLI_PRELUDE = `set -eu
cli() { valkey-cli -h "$QUEUE_HOST" -p "$QUEUE_PORT" --no-auth-warning "$@"; }
i=0
until [ "$(cli PING 2>/dev/null || true)" = "PONG" ]; do
  i=$((i + 1))
  if [ "$i" -ge 60 ]; then echo "queue not reachable after 10 minutes" >&2; exit 1; fi
  sleep 10
done
`;

export const QUEUE_ACL_SCRIPT = `${QUEUE_CLI_PRELUDE}# shellcheck disable=SC2086
reply=$(printf '>%s' "$TENANT_PASSWORD" | cli -x ACL SETUSER "$ACL_USER" $ACL_RULES)
echo "ACL SETUSER $ACL_USER: $reply"
[ "$reply" = "OK" ] || exit 1
reply=$(cli ACL SAVE)
echo "ACL SAVE: $reply"
[ "$reply" = "OK" ] || exit 1
`;

const PASSWORD_KEY = 'password';

/**
 * The tenant's Valkey ACL user on the ingestion queue, created by a Kubernetes Job in `data`, next to the
 * queue's admin Secret (which never leaves `data`). The tenant's password reaches the Job through an
 * ExternalSecret in `data` that reads the tenant's own path with the platform store: Terraform never sees
 * it. The Job name carries a hash of the rules and the script: a change re-runs it, nothing else does.
 * Removing the tenant removes the Job and the Secret, not the ACL user (docs/tenancy.md: offboarding).
 */
export class TenantQueueAcl extends Construct {
  readonly externalSecret: Manifest;
  readonly job: JobV1;

  constructor(scope: Construct, id: string, props: TenantQueueAclProps) {
    super(scope, id);
    const namespace = PLATFORM_NAMESPACES.data;
    // The component the addons stack's NetworkPolicies admit to the queue (lib/kubernetes/network-policies.ts).
    const labels = tenantLabels(props.tenantId, PROVISIONER_COMPONENTS.queueAcl);
    const secretName = tenantObjectName(props.tenantId, 'queue-acl');
    this.externalSecret = new Manifest(this, 'password-secret', {
      manifest: {
        apiVersion: 'external-secrets.io/v1',
        kind: 'ExternalSecret',
        metadata: { name: secretName, namespace, labels },
        spec: {
          refreshInterval: '1h',
          secretStoreRef: { ...props.store.ref },
          target: { name: secretName, creationPolicy: 'Owner', template: { metadata: { labels } } },
          data: [{ secretKey: PASSWORD_KEY, remoteRef: { key: props.passwordRemoteKey } }],
        },
      },
      dependsOn: props.dependsOn,
    });

    const rules = tenantAclRules(props.queue).join(' ');
    const revision = createHash('sha256').update(props.queue.username).update('\n').update(rules).update('\n').update(QUEUE_ACL_SCRIPT).digest('hex').slice(0, 8);
    const cli = queueCliEnv(props.queue.username);
    this.job = new JobV1(this, 'job', {
      metadata: { name: tenantObjectName(props.tenantId, `queue-acl-${revision}`), namespace, labels },
      spec: {
        backoffLimit: 4,
        // The password Secret appears only after the PushSecret/ExternalSecret round trip: allow for it.
        activeDeadlineSeconds: 1800,
        template: {
          metadata: { labels: { ...labels } },
          spec: {
            restartPolicy: 'Never',
            automountServiceAccountToken: false,
            securityContext: RESTRICTED_POD_SECURITY_CONTEXT,
            container: [
              {
                name: 'acl',
                image: props.image,
                imagePullPolicy: 'IfNotPresent',
                command: ['sh', '-c', QUEUE_ACL_SCRIPT],
                env: [
                  ...cli.connection,
                  { name: 'ACL_RULES', value: rules },
                  ...cli.auth,
                  { name: 'TENANT_PASSWORD', valueFrom: { secretKeyRef: { name: secretName, key: PASSWORD_KEY } } },
                ],
                resources: { requests: { cpu: '50m', memory: '32Mi' }, limits: { cpu: '200m', memory: '64Mi' } },
                securityContext: RESTRICTED_CONTAINER_SECURITY_CONTEXT,
              },
            ],
          },
        },
      },
      waitForCompletion: true,
      timeouts: { create: '30m', update: '30m' },
      dependsOn: [this.externalSecret],
    });
  }
}
