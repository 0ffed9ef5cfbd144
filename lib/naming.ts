import { EnvironmentConfig } from './config/schema';

/**
 * Names derived from the environment, in one place: the state stack creates the bucket that every
 * other stack's backend points at, so both sides must compute the same name.
 */

export type StackKind = 'state' | 'platform' | 'addons' | 'workloads' | 'tenant';

export function stackName(environment: string, kind: Exclude<StackKind, 'tenant'>): string;
export function stackName(environment: string, kind: 'tenant', tenantId: string): string;
export function stackName(environment: string, kind: StackKind, tenantId?: string): string {
  return kind === 'tenant' ? `${environment}-tenant-${tenantId}` : `${environment}-${kind}`;
}

export function awsStateBucketName(config: EnvironmentConfig): string {
  if (config.state.backend === 's3' && config.state.bucket) {
    return config.state.bucket;
  }
  return `${config.name}-tfstate-${config.aws!.accountId}`;
}

export function awsStateKeyAlias(environment: string): string {
  return `alias/${environment}/tfstate`;
}

/** Storage account names are 3-24 lowercase alphanumerics, globally unique. */
export function azureStateStorageAccountName(config: EnvironmentConfig): string {
  if (config.state.backend === 'azurerm' && config.state.storageAccountName) {
    return config.state.storageAccountName;
  }
  return `${config.name.replace(/-/g, '')}tfstate`.slice(0, 24);
}

export function azureStateResourceGroupName(environment: string): string {
  return `${environment}-tfstate`;
}

/**
 * The state stack's own Key Vault (its CMK cannot live in the platform's vault, which does not exist yet).
 * Vault names are 3-24 characters and global; environment names are at most 20.
 */
export function azureStateKeyVaultName(environment: string): string {
  return `${environment}-tfs`.slice(0, 24);
}
