import { Construct } from 'constructs';
import { ITerraformDependable } from 'cdktf';
import { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1';
import { JobV1 } from '../kubernetes/resources';
import { PROVISIONER_COMPONENTS, REMOVES_ANNOTATION } from '../kubernetes/shared-labels';
import { endpointUrl, LITELLM_MASTER_KEY_SECRET, PLATFORM_ENDPOINTS, PLATFORM_NAMESPACES } from './platform-contract';
import { pythonSpecJobPod } from './python-spec-job';
import { LITELLM_CALL, LITELLM_WAIT_READY } from './litellm-provision-script';
import { QUEUE_CLI_PRELUDE, queueCliEnv } from './queue-acl';
import { TenantQueue } from './queue';
import { tenantLabels, tenantObjectName } from './labels';
import { embeddingsKeyAlias } from './embeddings-key';
import { RESTRICTED_CONTAINER_SECURITY_CONTEXT, RESTRICTED_POD_SECURITY_CONTEXT } from './security-context';

/**
 * What the LiteLLM offboarding Job runs (python3, standard library only). Idempotent: each of the tenant's
 * keys (the LLM key and the embeddings key, which has no team) is deleted by alias (`POST /key/delete
 * {key_aliases}`; LiteLLM finds keys by value, not alias, so there is no lookup first: 400/404 count as
 * "already gone"), then the team, if LiteLLM still knows it
 * (`GET /team/info` -> `POST /team/delete {team_ids}`). Prints what it removed, never a key.
 */
export const LITELLM_OFFBOARD_SCRIPT = `import json, os, sys, time, urllib.error, urllib.parse, urllib.request

BASE = os.environ["LITELLM_URL"].rstrip("/")
MASTER = os.environ["LITELLM_MASTER_KEY"]
with open(sys.argv[1]) as f:
    SPEC = json.load(f)


${LITELLM_CALL}${LITELLM_WAIT_READY}
for alias in SPEC["key_aliases"]:
    status = call("POST", "/key/delete", {"key_aliases": [alias]})
    print("key/delete", alias, status, flush=True)
    if status >= 300 and status not in (400, 404):
        sys.exit(1)
if call("GET", "/team/info", query={"team_id": SPEC["team_id"]}) == 200:
    status = call("POST", "/team/delete", {"team_ids": [SPEC["team_id"]]})
    print("team/delete", SPEC["team_id"], status, flush=True)
    if status >= 300:
        sys.exit(1)
    print("removed: LiteLLM team", SPEC["team_id"], "and keys", ", ".join(SPEC["key_aliases"]), flush=True)
else:
    print("LiteLLM team", SPEC["team_id"], "already absent", flush=True)
`;

/**
 * What the queue offboarding Job runs (POSIX sh, valkey-cli of the pinned valkey image). Idempotent:
 * `ACL DELUSER` answers the number of users removed (0 when already gone), the tenant's keys are found with
 * SCAN (never KEYS, which blocks the server) and unlinked, then `ACL SAVE` writes the ACL file without the
 * user. The admin password comes from REDISCLI_AUTH. Prints what it removed.
 */
export const QUEUE_OFFBOARD_SCRIPT = `${QUEUE_CLI_PRELUDE}removed=$(cli ACL DELUSER "$ACL_USER")
echo "ACL DELUSER $ACL_USER: $removed"
case "$removed" in 0|1) ;; *) exit 1 ;; esac
keys=0
for key in $(cli --scan --pattern "$KEY_PATTERN"); do
  cli UNLINK "$key" >/dev/null
  keys=$((keys + 1))
done
reply=$(cli ACL SAVE)
echo "ACL SAVE: $reply"
[ "$reply" = "OK" ] || exit 1
echo "removed: ACL user $ACL_USER ($removed) and $keys key(s) matching $KEY_PATTERN"
`;

export interface TenantOffboardingProps {
  readonly tenantId: string;
  readonly queue: TenantQueue;
  /** The pinned python image in the mirror (the LiteLLM Job). */
  readonly provisionerImage: string;
  /** The pinned valkey image in the mirror (valkey-cli). */
  readonly valkeyImage: string;
  /** The provisioning Jobs: offboarding runs after them (a tenant being created and removed in one go). */
  readonly after: readonly ITerraformDependable[];
}

/**
 * `tenants[].offboard: true`: the two Jobs that undo what the provisioning Jobs did outside Terraform's
 * state, so that the destroy of the tenant stack that follows leaves nothing behind. LiteLLM: the tenant's
 * two keys (by alias: LLM and embeddings) and team (and with it every key of the team). Queue: the tenant's ACL user and every key
 * of `tenant:<id>:*` (its streams and quarantine). They run where the provisioning Jobs run, with the same
 * pod labels (so the platform's NetworkPolicies admit them to exactly the same endpoints) and the same
 * admin Secrets; Terraform waits for them (`wait_for_completion`), so a failed removal fails the apply.
 */
export class TenantOffboarding extends Construct {
  readonly litellmJob: JobV1;
  readonly queueJob: JobV1;

  constructor(scope: Construct, id: string, props: TenantOffboardingProps) {
    super(scope, id);
    const llmLabels = tenantLabels(props.tenantId, PROVISIONER_COMPONENTS.litellm);
    const keyAliases = [props.tenantId, embeddingsKeyAlias(props.tenantId)];
    const spec = new ConfigMapV1(this, 'litellm-spec', {
      metadata: { name: tenantObjectName(props.tenantId, 'litellm-offboard'), namespace: PLATFORM_NAMESPACES.llmGateway, labels: llmLabels },
      // The team id and the LLM key's alias are the tenant id (litellm-key.ts); the embeddings key has its own alias.
      data: { 'tenant.json': JSON.stringify({ team_id: props.tenantId, key_aliases: keyAliases }, null, 2), 'offboard.py': LITELLM_OFFBOARD_SCRIPT },
    });
    this.litellmJob = new JobV1(this, 'litellm-job', {
      metadata: {
        name: tenantObjectName(props.tenantId, 'litellm-offboard'),
        namespace: PLATFORM_NAMESPACES.llmGateway,
        labels: llmLabels,
        annotations: { [REMOVES_ANNOTATION]: `LiteLLM keys ${keyAliases.join(', ')} and team ${props.tenantId}` },
      },
      spec: {
        backoffLimit: 4,
        activeDeadlineSeconds: 1200,
        template: pythonSpecJobPod({
          labels: llmLabels,
          containerName: 'offboard',
          image: props.provisionerImage,
          configMapName: spec.metadata.name,
          script: 'offboard.py',
          spec: 'tenant.json',
          env: [
            { name: 'LITELLM_URL', value: endpointUrl(PLATFORM_ENDPOINTS.litellm) },
            { name: 'LITELLM_MASTER_KEY', valueFrom: { secretKeyRef: { name: LITELLM_MASTER_KEY_SECRET.name, key: LITELLM_MASTER_KEY_SECRET.key } } },
          ],
        }),
      },
      waitForCompletion: true,
      timeouts: { create: '20m', update: '20m' },
      dependsOn: [...props.after],
    });

    const queueLabels = tenantLabels(props.tenantId, PROVISIONER_COMPONENTS.queueAcl);
    const cli = queueCliEnv(props.queue.username);
    this.queueJob = new JobV1(this, 'queue-job', {
      metadata: {
        name: tenantObjectName(props.tenantId, 'queue-offboard'),
        namespace: PLATFORM_NAMESPACES.data,
        labels: queueLabels,
        annotations: { [REMOVES_ANNOTATION]: `queue ACL user ${props.queue.username} and the keys ${props.queue.keyPattern}` },
      },
      spec: {
        backoffLimit: 4,
        activeDeadlineSeconds: 1200,
        template: {
          metadata: { labels: { ...queueLabels } },
          spec: {
            restartPolicy: 'Never',
            automountServiceAccountToken: false,
            securityContext: RESTRICTED_POD_SECURITY_CONTEXT,
            container: [
              {
                name: 'offboard',
                image: props.valkeyImage,
                imagePullPolicy: 'IfNotPresent',
                command: ['sh', '-c', QUEUE_OFFBOARD_SCRIPT],
                env: [...cli.connection, { name: 'KEY_PATTERN', value: props.queue.keyPattern }, ...cli.auth],
                resources: { requests: { cpu: '50m', memory: '32Mi' }, limits: { cpu: '200m', memory: '64Mi' } },
                securityContext: RESTRICTED_CONTAINER_SECURITY_CONTEXT,
              },
            ],
          },
        },
      },
      waitForCompletion: true,
      timeouts: { create: '20m', update: '20m' },
      dependsOn: [...props.after],
    });
  }
}
