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
      "env.yaml: network.deployRunnerCidrs[0]: is used on AWS only; on Azure the deploy runner's network is azure.deployRunnerSubnetId",
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
    expect(problemLines(input)).toEqual([expect.stringContaining('network.zoneCount: uaecentral has no availability zones (allowed: 1..1)')]);
    input.network.zoneCount = 1;
    expect(problemLines(input)).toEqual([]);
  });

  it('requires the hub firewall IP: egress has no other path without public IPs', () => {
    const input = azureExampleInput();
    delete input.azure.firewallPrivateIp;
    expect(problemLines(input)).toEqual([expect.stringContaining('azure.firewallPrivateIp: is required: AKS egress is routed (userDefinedRouting)')]);
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
