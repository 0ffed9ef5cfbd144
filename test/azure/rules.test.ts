import { problemLines } from '../helpers';
import { azureExampleInput } from './helpers';

describe('Azure environment rules', () => {
  it('accepts the example', () => {
    expect(problemLines(azureExampleInput())).toEqual([]);
  });

  it('refuses network.deployRunnerCidrs (AWS only) instead of ignoring it', () => {
    const input = azureExampleInput();
    input.network.deployRunnerCidrs = ['172.16.8.0/24'];
    expect(problemLines(input)).toEqual([
      'env.yaml: network.deployRunnerCidrs[0]: is used on AWS only; on Azure the runner ranges are azure.landingZone.runnerCidrs',
    ]);
  });

  it('rejects L4 on Azure, naming the T4 and A10 sizes to use instead', () => {
    const input = azureExampleInput();
    input.nodePools.gpu = { family: 'L4', instanceType: 'Standard_NC8as_T4_v3', min: 0, max: 2 };
    const lines = problemLines(input);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('nodePools.gpu.family: Azure offers no L4 GPU size');
    expect(lines[0]).toContain('T4 (Standard_NC4as_T4_v3)');
    expect(lines[0]).toContain('A10 (Standard_NV36ads_A10_v5)');
    // The allowed list names every size of both families.
    for (const size of ['Standard_NC4as_T4_v3', 'Standard_NC8as_T4_v3', 'Standard_NC16as_T4_v3', 'Standard_NC64as_T4_v3', 'Standard_NV36ads_A10_v5']) {
      expect(lines[0]).toContain(size);
    }
  });

  it('makes the owner confirm a GPU size whose availability the catalog does not know', () => {
    const input = azureExampleInput();
    delete input.nodePools.gpu.availabilityConfirmed;
    expect(problemLines(input)).toEqual([
      expect.stringContaining('nodePools.gpu.availabilityConfirmed: the catalog does not know whether uaenorth offers NCasT4_v3 (T4)'),
    ]);
  });

  it('rejects an AWS instance type in an Azure GPU pool', () => {
    const input = azureExampleInput();
    input.nodePools.gpu.instanceType = 'g4dn.xlarge';
    expect(problemLines(input)).toEqual([expect.stringContaining('nodePools.gpu.instanceType: is not a size of GPU family T4 on azure')]);
  });

  it('takes one zone in UAE Central, which has none', () => {
    const input = azureExampleInput();
    input.region = 'uaecentral';
    delete input.azure.landingZone.privateDnsZoneIds;
    expect(problemLines(input)).toEqual([expect.stringContaining('network.zoneCount: uaecentral has no availability zones (allowed: 1..1)')]);
    input.network.zoneCount = 1;
    expect(problemLines(input)).toEqual([]);
  });

  it('requires the hub firewall IP with firewall egress only: isolated clusters need no egress at bootstrap', () => {
    const input = azureExampleInput();
    delete input.azure.firewallPrivateIp;
    expect(problemLines(input)).toEqual([]);
    input.azure.egress = 'firewall';
    expect(problemLines(input)).toEqual([
      'env.yaml: azure.firewallPrivateIp: is required with egress firewall: AKS egress is routed (userDefinedRouting) to the hub firewall at this private IP; public IPs, load balancer and NAT gateway egress are not allowed (allowed: an IPv4 address in the hub, egress: isolated (no egress at bootstrap))',
    ]);
  });

  it('defaults to network-isolated egress', () => {
    const input = azureExampleInput();
    delete input.azure.egress;
    expect(problemLines(input)).toEqual([]);
    input.azure.egress = 'nat-gateway';
    expect(problemLines(input)).toEqual([expect.stringContaining('azure.egress')]);
  });

  it('rejects a firewall IP inside the cluster ranges', () => {
    const input = azureExampleInput();
    input.azure.firewallPrivateIp = '10.50.3.4';
    expect(problemLines(input)).toEqual([expect.stringContaining('azure.firewallPrivateIp: lies inside network.cidr (10.50.0.0/16)')]);
    input.azure.firewallPrivateIp = '300.1.1.1';
    expect(problemLines(input)).toEqual([expect.stringContaining('azure.firewallPrivateIp: must be an IPv4 address with octets 0-255')]);
  });

  it('requires the deploy runner subnet with the private azurerm state backend only', () => {
    const input = azureExampleInput();
    delete input.azure.deployRunnerSubnetId;
    expect(problemLines(input)).toEqual([expect.stringContaining('azure.deployRunnerSubnetId: is required with the azurerm state backend')]);
    input.state = { backend: 'local' };
    expect(problemLines(input)).toEqual([]);
  });

  it('rejects a malformed deploy runner subnet id', () => {
    const input = azureExampleInput();
    input.azure.deployRunnerSubnetId = 'hub-vnet/deploy-runners';
    expect(problemLines(input)).toEqual([expect.stringContaining('azure.deployRunnerSubnetId: must be a subnet resource id')]);
  });

  it('rejects a Bedrock model under core42-uae, which runs on Azure only', () => {
    const input = azureExampleInput();
    input.sovereignty.profile = 'core42-uae';
    expect(problemLines(input)).toEqual([expect.stringContaining('llm.models[1].region: me-central-1 is outside the sovereignty profile')]);
  });

  it('keeps Key Vault soft delete within what Azure allows', () => {
    const input = azureExampleInput();
    input.azure.softDeleteRetentionDays = 120;
    expect(problemLines(input)).toEqual([expect.stringContaining('azure.softDeleteRetentionDays')]);
  });
});

describe('Azure landing-zone rules: the runner in the hub must reach and resolve what the platform creates', () => {
  const HUB = '/subscriptions/11111111-2222-4333-8444-555555555555/resourceGroups/hub-network/providers/Microsoft.Network/virtualNetworks/hub-vnet';
  const SPOKE = '/subscriptions/11111111-2222-4333-8444-555555555555/resourceGroups/spokes/providers/Microsoft.Network/virtualNetworks/rag-spoke';

  it('requires the deploy identity and the landing zone', () => {
    const input = azureExampleInput();
    delete input.azure.deployerPrincipalId;
    delete input.azure.landingZone;
    expect(problemLines(input)).toEqual(['env.yaml: azure.deployerPrincipalId: is required', 'env.yaml: azure.landingZone: is required']);
  });

  it('refuses an environment with no route from the runner: neither a hub to peer with nor a vended spoke', () => {
    const input = azureExampleInput();
    delete input.azure.landingZone.hubVirtualNetworkId;
    expect(problemLines(input)).toEqual([
      expect.stringMatching(/^env\.yaml: azure\.landingZone\.hubVirtualNetworkId: is required unless spokeVirtualNetworkId names a vended spoke already peered to the hub: without a peering the deploy runner cannot reach the Key Vault/),
    ]);
    input.azure.landingZone.spokeVirtualNetworkId = SPOKE;
    expect(problemLines(input)).toEqual([]);
  });

  it('refuses a spoke that is the hub itself or lives in another subscription', () => {
    const input = azureExampleInput();
    input.azure.landingZone.spokeVirtualNetworkId = HUB;
    expect(problemLines(input)).toEqual(['env.yaml: azure.landingZone.spokeVirtualNetworkId: is the hub VNet itself; the platform needs its own spoke']);
    input.azure.landingZone.spokeVirtualNetworkId = SPOKE.replace('11111111-2222-4333-8444-555555555555', '44444444-2222-4333-8444-555555555555');
    expect(problemLines(input)).toEqual([
      expect.stringContaining('azure.landingZone.spokeVirtualNetworkId: is in subscription 44444444-2222-4333-8444-555555555555, not azure.subscriptionId 11111111-2222-4333-8444-555555555555'),
    ]);
  });

  it('refuses privatelink zones the runner could not resolve: no central zones and no hub to link ours to', () => {
    const input = azureExampleInput();
    delete input.azure.landingZone.privateDnsZoneIds;
    // Our zones, linked to the hub as well: resolvable.
    expect(problemLines(input)).toEqual([]);
    delete input.azure.landingZone.hubVirtualNetworkId;
    input.azure.landingZone.spokeVirtualNetworkId = SPOKE;
    expect(problemLines(input)).toEqual([
      expect.stringMatching(/^env\.yaml: azure\.landingZone\.privateDnsZoneIds: is required when hubVirtualNetworkId is not set: privatelink zones the platform created would be linked to the spoke only, so the runner in the hub could not resolve/),
    ]);
  });

  it('refuses a central AKS zone of another region and malformed zone ids', () => {
    const input = azureExampleInput();
    input.azure.landingZone.privateDnsZoneIds.aks = input.azure.landingZone.privateDnsZoneIds.aks.replace('uaenorth', 'uaecentral');
    expect(problemLines(input)).toEqual([
      'env.yaml: azure.landingZone.privateDnsZoneIds.aks: names zone privatelink.uaecentral.azmk8s.io; the cluster in uaenorth registers its API in privatelink.uaenorth.azmk8s.io (allowed: privatelink.uaenorth.azmk8s.io)',
    ]);
    input.azure.landingZone.privateDnsZoneIds.vault = input.azure.landingZone.privateDnsZoneIds.blob;
    expect(problemLines(input)).toEqual([expect.stringContaining('azure.landingZone.privateDnsZoneIds.vault: must be the privatelink.vaultcore.azure.net private DNS zone resource id')]);
  });

  it('refuses a runner network overlapping the platform ranges', () => {
    const input = azureExampleInput();
    input.azure.landingZone.runnerCidrs = ['10.0.8.0/24', '10.50.200.0/24'];
    expect(problemLines(input)).toEqual([
      'env.yaml: azure.landingZone.runnerCidrs[1]: overlaps network.cidr (10.50.0.0/16): peered address spaces must not overlap, and the runner\'s replies would stay inside the cluster',
    ]);
    input.azure.landingZone.runnerCidrs = [];
    expect(problemLines(input)).toEqual([expect.stringContaining('azure.landingZone.runnerCidrs: must name the runner network')]);
  });

  it('refuses an image or chart mirror that is not the platform registry (unresolvable and unauthorised for the kubelet)', () => {
    const input = azureExampleInput();
    input.registry.imageMirror = 'uaeprodmirror.azurecr.io/mirror';
    expect(problemLines(input)).toEqual([
      'env.yaml: registry.imageMirror: is on uaeprodmirror.azurecr.io, not the platform registry uaeprodazureplatform.azurecr.io: nodes can resolve and pull (AcrPull, private endpoint) only from the platform registry, which is the in-region mirror (allowed: uaeprodazureplatform.azurecr.io/mirror)',
    ]);
    input.registry.imageMirror = 'uaeprodazureplatform.azurecr.io/mirror';
    input.registry.chartMirror = 'oci://harbor.example.ae/charts';
    expect(problemLines(input)).toEqual([expect.stringContaining('registry.chartMirror: is on harbor.example.ae, not the platform registry uaeprodazureplatform.azurecr.io')]);
  });

  it('refuses Qatar Central for an Azure platform (no API server VNet integration), naming the alternatives', () => {
    const input = azureExampleInput();
    input.sovereignty.profile = 'gcc';
    input.sovereignty.dataSharingAgreements = [{ id: 'qa-dsa', countries: ['QA'], reference: 'Legal register LR-2026-0042' }];
    input.region = 'qatarcentral';
    delete input.azure.landingZone.privateDnsZoneIds;
    input.llm.models = input.llm.models.filter((model: any) => model.provider === 'azure-openai');
    input.llm.fallbacks = [];
    input.tenants.forEach((tenant: any) => (tenant.llm.allowedModels = ['gpt-4o']));
    expect(problemLines(input)).toEqual([
      'env.yaml: region: qatarcentral does not offer AKS API server VNet integration, which etcd encryption with the private Key Vault requires; place the Azure platform in another region (allowed: uaenorth, uaecentral (restricted access: Microsoft enables it per subscription))',
    ]);
  });
});
