/**
 * Azure resource names derived from the environment name (a DNS label of at most 20 characters), in one
 * place. Key Vault, registry and storage names are global; the environment name keeps them unique.
 */

import { createHash } from 'crypto';

const compact = (environment: string) => environment.replace(/-/g, '');

/** Key Vault names: 3-24 characters, letters, digits and single hyphens, starting with a letter. */
const KEY_VAULT_MAX = 24;
const HASH_LENGTH = 8;

/**
 * The Key Vault of one workload identity (a tenant's secrets): `<workload id, shortened>-<hash>`, where
 * the hash is of `<environment>/<workload id>`, so two environments or two tenants never share a name
 * (vault names are global) and every name fits 24 characters, whatever the lengths of the ids. Stable:
 * the same environment and id always give the same name (a rename would replace the vault).
 */
export function workloadKeyVaultName(environment: string, workloadId: string): string {
  const hash = createHash('sha256').update(`${environment}/${workloadId}`).digest('hex').slice(0, HASH_LENGTH);
  const readable = workloadId
    .replace(/-+/g, '-')
    .slice(0, KEY_VAULT_MAX - HASH_LENGTH - 1)
    .replace(/-$/, '');
  return `${readable}-${hash}`;
}

export const azureNames = (environment: string) => ({
  resourceGroup: `${environment}-platform`,
  cluster: environment,
  /** 3-24 characters. */
  keyVault: `${environment}-kv`,
  /** The etcd (KMS) key's own vault. */
  kmsKeyVault: `${environment}-kms`,
  /** Application secrets (external-secrets). */
  secretsKeyVault: `${environment}-sec`,
  /** 5-50 alphanumerics. */
  registry: `${compact(environment)}platform`,
  /** 3-24 lowercase alphanumerics; distinct from the state account (`...tfstate`). */
  storageAccount: `${compact(environment)}platform`.slice(0, 24),
  /** Langfuse's blobs alone (3-24 lowercase alphanumerics): the one account with shared keys on. */
  langfuseStorageAccount: `${compact(environment)}langfuse`.slice(0, 24),
  /** VNet flow logs (3-24 lowercase alphanumerics). */
  flowLogStorageAccount: `${compact(environment)}flowlogs`.slice(0, 24),
  logs: `${environment}-logs`,
  diskEncryptionSet: `${environment}-node-disks`,
});
