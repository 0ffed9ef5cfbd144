import { componentTags } from '../tags';

/** Where an Azure resource goes and what it is tagged with; every construct under lib/azure takes one. */
export interface AzurePlacement {
  readonly location: string;
  readonly resourceGroupName: string;
  /** The environment's tags (environment, managed-by and the config's own). */
  readonly tags: Readonly<Record<string, string>>;
}

/** Azure has no provider-level default tags: each resource gets the environment's plus its component's. */
export function azureTags(placement: AzurePlacement, component: string, name?: string): Record<string, string> {
  return { ...placement.tags, ...componentTags(component, name) };
}

/** Built-in Azure role names, in one place (role assignments are the least-privilege surface). */
export const ROLES = {
  keyVaultAdministrator: 'Key Vault Administrator',
  keyVaultContributor: 'Key Vault Contributor',
  keyVaultCryptoOfficer: 'Key Vault Crypto Officer',
  keyVaultCryptoUser: 'Key Vault Crypto User',
  keyVaultCryptoServiceEncryptionUser: 'Key Vault Crypto Service Encryption User',
  keyVaultSecretsUser: 'Key Vault Secrets User',
  keyVaultSecretsOfficer: 'Key Vault Secrets Officer',
  keyVaultReader: 'Key Vault Reader',
  kubernetesRbacClusterAdmin: 'Azure Kubernetes Service RBAC Cluster Admin',
  kubernetesRbacReader: 'Azure Kubernetes Service RBAC Reader',
  managedIdentityOperator: 'Managed Identity Operator',
  privateDnsZoneContributor: 'Private DNS Zone Contributor',
  networkContributor: 'Network Contributor',
  reader: 'Reader',
  acrPull: 'AcrPull',
  storageBlobDataContributor: 'Storage Blob Data Contributor',
  storageBlobDataReader: 'Storage Blob Data Reader',
} as const;
