import { problemLines, resourcesOf, synthExample } from '../helpers';
import { endpointSubnetCapacity, PLATFORM_ENDPOINT_ADDRESSES } from '../../lib/azure/endpoint-capacity';
import { AZURE_EXAMPLE, azureExampleInput, CORE42_EXAMPLE } from './helpers';

/** Private endpoints of a stack in the platform's endpoint subnet (own or read from the platform's state). */
const endpointsInSubnet = (stack: any) =>
  resourcesOf(stack, 'azurerm_private_endpoint')
    .map(([, value]) => value)
    .filter((value) => String(value.subnet_id).includes('subnet-endpoints'));
/** A registry endpoint takes two addresses (registry + regional data endpoint); the others one. */
const addresses = (endpoint: any) => (endpoint.private_service_connection.subresource_names.includes('registry') ? 2 : 1);

describe.each([
  ['gcc-uae-azure', AZURE_EXAMPLE],
  ['core42-uae-azure', CORE42_EXAMPLE],
])('the endpoint subnet of %s', (_, file) => {
  const { stacks } = synthExample(file);
  const names = Object.keys(stacks);
  const platform = stacks[names.find((n) => n.endsWith('-platform'))!];
  const tenants = names.filter((n) => /-tenant-/.test(n));

  it(`holds PLATFORM_ENDPOINT_ADDRESSES (${PLATFORM_ENDPOINT_ADDRESSES}) addresses of the platform plus one per Azure OpenAI account`, () => {
    const endpoints = endpointsInSubnet(platform);
    const openAi = endpoints.filter((e) => e.private_service_connection.subresource_names.includes('account')).length;
    expect(endpoints.reduce((sum, e) => sum + addresses(e), 0)).toBe(PLATFORM_ENDPOINT_ADDRESSES + openAi);
    // No other shared stack puts an endpoint there.
    for (const name of names.filter((n) => !/-tenant-|-platform$/.test(n))) expect(endpointsInSubnet(stacks[name])).toEqual([]);
  });

  it('and one address per tenant stack (its Key Vault)', () => {
    expect(tenants.length).toBeGreaterThan(0);
    for (const name of tenants) expect(endpointsInSubnet(stacks[name]).map(addresses)).toEqual([1]);
  });
});

describe('tenants vs the endpoint subnet (config rule)', () => {
  it('computes the capacity from network.cidr: a /20 holds 242 tenants with one OpenAI account, a /22 50', () => {
    expect(endpointSubnetCapacity('10.60.0.0/20', 1)).toEqual({ subnet: '10.60.8.0/24', size: 256, platform: 9, tenants: 242 });
    expect(endpointSubnetCapacity('10.50.0.0/22', 1).tenants).toBe(50);
  });

  it('refuses more tenants than the subnet holds, naming the field and the figures', () => {
    const input = azureExampleInput();
    const tenant = input.tenants[1];
    input.tenants = Array.from({ length: 51 }, (_, i) => ({ ...tenant, id: `t${i}` }));
    input.network.cidr = '10.50.0.0/22';
    expect(problemLines(input)).toEqual([
      'env.yaml: tenants: lists 51 tenants, but on Azure each tenant\'s Key Vault takes one address of the private endpoint subnet 10.50.2.0/26 ' +
        '(a sixteenth of network.cidr 10.50.0.0/22): 64 addresses - 5 reserved by Azure - 9 for the platform\'s own endpoints = 50 tenants ' +
        '(allowed: at most 50 tenants, a larger network.cidr (one prefix bit shorter doubles the subnet))',
    ]);
    input.tenants.pop();
    expect(problemLines(input)).toEqual([]);
  });
});
