/**
 * Labels both the addons stack (platform NetworkPolicies) and the tenant stacks (tenant objects) use.
 * They live here, on the platform side, so a tenant stack can only ever put on its objects what the
 * platform's policies select: one definition, two importers.
 */

/** On every tenant namespace, so platform NetworkPolicies admit all tenants with one selector. */
export const TENANT_NAMESPACE_LABEL = 'rag.platform/tenant';

/** The pod label provisioning Jobs are selected by. */
export const COMPONENT_LABEL = 'app.kubernetes.io/component';

/**
 * Components of the tenant provisioning Jobs that run in platform namespaces (next to the admin
 * credential they need): the LiteLLM team/key Job in `llm-gateway`, the Valkey ACL Job in `data`.
 */
export const PROVISIONER_COMPONENTS = {
  litellm: 'litellm-provisioner',
  queueAcl: 'queue-acl-provisioner',
} as const;

/**
 * Annotation of a Job that removes something Terraform's state does not hold (a tenant's offboarding
 * Jobs: LiteLLM team and key, queue ACL user): what it removes, in words. The destroy report lists it for
 * each destroyed stack (lib/rollout/removals.ts).
 */
export const REMOVES_ANNOTATION = 'rag.platform/removes';

/**
 * Annotations of a CronJob that backs up a store (the Qdrant snapshots): which Helm release it protects,
 * where the copies go and how long they are kept. The evidence pack lists them with the store's volumes
 * (lib/report/scheduled-backups.ts).
 */
export const BACKUP_ANNOTATIONS = {
  of: 'rag.platform/backup-of',
  destination: 'rag.platform/backup-destination',
  retention: 'rag.platform/backup-retention',
} as const;
