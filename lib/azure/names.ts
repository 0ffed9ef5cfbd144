/**
 * Azure resource names derived from the environment name (a DNS label of at most 20 characters), in one
 * place. Key Vault, registry and storage names are global; the environment name keeps them unique.
 */

const compact = (environment: string) => environment.replace(/-/g, '');

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
  /** VNet flow logs (3-24 lowercase alphanumerics). */
  flowLogStorageAccount: `${compact(environment)}flowlogs`.slice(0, 24),
  logs: `${environment}-logs`,
  diskEncryptionSet: `${environment}-node-disks`,
});
