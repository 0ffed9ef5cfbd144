import { formatCidr, parseCidr, subnet } from '../config/cidr';

// Its own module, free of provider bindings: the config rules (endpoint-capacity.ts) read the plan on
// every environment, and an AWS synth should not load the azurerm bindings for it.

export interface AksSubnetPlan {
  /** Node IPs only: pods take overlay addresses from the pod CIDR. */
  readonly nodes: string;
  readonly privateEndpoints: string;
  /** API server VNet integration: a delegated /28 is the documented minimum. */
  readonly apiServer: string;
}

/**
 * The first half of the VNet for nodes, a sixteenth for private endpoints, and a /28 after it for the API
 * server. Deterministic, and valid for every prefix the rules allow (/16 to /22).
 */
export function planAksSubnets(cidr: string): AksSubnetPlan {
  const network = parseCidr(cidr)!;
  return {
    nodes: formatCidr(subnet(network, network.prefix + 1, 0)),
    privateEndpoints: formatCidr(subnet(network, network.prefix + 4, 8)),
    apiServer: formatCidr(subnet(subnet(network, network.prefix + 4, 9), 28, 0)),
  };
}
