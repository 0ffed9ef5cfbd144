import { parseCidr } from '../config/cidr';
import { planAksSubnets } from './subnet-plan';

/** Addresses Azure reserves in every subnet: the network address, three for Azure services, broadcast. */
export const AZURE_RESERVED_ADDRESSES = 5;

/**
 * Addresses the platform stack's own private endpoints take in the endpoint subnet, besides one per Azure
 * OpenAI account: the three Key Vaults (keys, AKS KMS, secrets; lib/azure/aks-platform.ts), the registry
 * (two: the registry and its regional data endpoint, `dataEndpointEnabled` without geo-replicas), the
 * platform, Langfuse and flow-log storage accounts' blob endpoints.
 * test/azure/endpoint-capacity.test.ts counts them in the synthesized platform stack.
 */
export const PLATFORM_ENDPOINT_ADDRESSES = 8;

export interface EndpointSubnetCapacity {
  /** The private endpoint subnet (planAksSubnets). */
  readonly subnet: string;
  /** Its size in addresses. */
  readonly size: number;
  /** Addresses the platform's own endpoints take (PLATFORM_ENDPOINT_ADDRESSES + one per Azure OpenAI account). */
  readonly platform: number;
  /** How many tenant Key Vault endpoints fit (one address each). */
  readonly tenants: number;
}

/**
 * Each tenant stack creates a Key Vault with a private endpoint in the platform's endpoint subnet (one
 * address); the subnet is a sixteenth of `network.cidr`, so the VNet's size caps the tenant count.
 */
export function endpointSubnetCapacity(networkCidr: string, openAiAccounts: number): EndpointSubnetCapacity {
  const subnet = planAksSubnets(networkCidr).privateEndpoints;
  const size = 2 ** (32 - parseCidr(subnet)!.prefix);
  const platform = PLATFORM_ENDPOINT_ADDRESSES + openAiAccounts;
  return { subnet, size, platform, tenants: Math.max(0, size - AZURE_RESERVED_ADDRESSES - platform) };
}
