import { SecretStoreInfo } from '../cluster/cluster-info';
import { TENANT_SECRETS_COMPONENT } from '../kubernetes/external-secret';

/**
 * Secret-store names for a tenant: `rag/<env>/tenants/<id>/<key>` on AWS Secrets Manager,
 * `rag-<env>-tenants-<id>-<key>` on Key Vault. The tenant's workload identity may read under its own
 * prefix only, so a path outside it is unreadable to the tenant by construction.
 */
export function tenantSecretPrefix(environment: string, tenantId: string, store: Pick<SecretStoreInfo, 'separator'>): string {
  const sep = store.separator;
  return ['rag', environment, TENANT_SECRETS_COMPONENT, tenantId].join(sep) + sep;
}

export function tenantSecretPath(environment: string, tenantId: string, key: string, store: Pick<SecretStoreInfo, 'separator'>): string {
  return tenantSecretPrefix(environment, tenantId, store) + key;
}

/** The keys a tenant's prefix holds. Values are generated in-cluster; none is ever known at synth. */
export const TENANT_SECRET_KEYS = {
  /** The tenant's LiteLLM virtual key (stored without LiteLLM's `sk-` prefix; see litellm-key.ts). */
  litellmKey: 'litellm-key',
  /** The tenant's LiteLLM key for embeddings only (its monthly token cap); same format. */
  litellmEmbeddingsKey: 'litellm-embeddings-key',
  /** Password of the tenant's own Valkey ACL user for its ingestion streams. */
  queuePassword: 'queue-password',
} as const;
