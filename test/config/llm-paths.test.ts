import { awsExampleInput, problemLines } from '../helpers';
import { azureExampleInput } from '../azure/helpers';

/**
 * A model is only usable if the private cluster can reach it, and only in-region offerings keep prompts
 * in the region. Each failing case asserts the message, which names the field that fixes it.
 */

describe('network path to each model', () => {
  it('refuses Azure OpenAI from EKS without a declared interconnect', () => {
    const input = awsExampleInput();
    delete input.llm.interconnect;
    expect(problemLines(input)).toEqual([
      'env.yaml: llm.models[0].provider: azure-openai is not reachable from an EKS cluster (no internet egress): declare llm.interconnect with providers [azure-openai] for the private path you operate, or use a model of aws',
    ]);
  });

  it('refuses Bedrock from AKS without a declared interconnect, and an interconnect for the other provider does not count', () => {
    const input = azureExampleInput();
    input.llm.interconnect.providers = ['azure-openai'];
    expect(problemLines(input)).toEqual([
      'env.yaml: llm.models[1].provider: bedrock is not reachable from an AKS cluster (no internet egress): declare llm.interconnect with providers [bedrock] for the private path you operate, or use a model of azure',
    ]);
  });

  it('needs the Azure OpenAI account id on Azure (the platform creates the private endpoint from it)', () => {
    const input = azureExampleInput();
    delete input.llm.models[0].resourceId;
    expect(problemLines(input)).toEqual([
      'env.yaml: llm.models[0].resourceId: is required for azure-openai models on Azure: the private endpoint to the Azure OpenAI account is created from it',
    ]);
    input.llm.models[0].resourceId = '/subscriptions/11111111-2222-4333-8444-555555555555/resourceGroups/ai/providers/Microsoft.Storage/storageAccounts/x';
    expect(problemLines(input)[0]).toMatch(/^env\.yaml: llm\.models\[0\]\.resourceId: must be an Azure OpenAI account id/);
  });
});

describe('offerings that process prompts outside the region', () => {
  it.each(['global', 'us', 'eu', 'apac'])('refuses the Bedrock cross-region inference profile %s.* without a cross-region agreement', (geography) => {
    const input = awsExampleInput();
    input.llm.models[1].model = `${geography}.anthropic.claude-sonnet-4-20250514-v1:0`;
    expect(problemLines(input)).toEqual([
      `env.yaml: llm.models[1].model: ${geography}.anthropic.claude-sonnet-4-20250514-v1:0 is a cross-region inference profile (${geography}.): Bedrock may process requests outside me-central-1; use the in-region model id or declare llm.crossRegionAgreement`,
    ]);
    input.llm.crossRegionAgreement = { reference: 'legal/dpa/2026-bedrock-global.pdf', regions: ['me-central-1'] };
    expect(problemLines(input)).toEqual([]);
  });

  it.each(['GlobalStandard', 'DataZoneStandard', 'GlobalProvisionedManaged'])('refuses Azure OpenAI %s deployments without a cross-region agreement', (deploymentType) => {
    const input = azureExampleInput();
    input.llm.models[0].deploymentType = deploymentType;
    expect(problemLines(input)).toEqual([
      `env.yaml: llm.models[0].deploymentType: ${deploymentType} deployments may process prompts outside uaenorth; use Standard or ProvisionedManaged, or declare llm.crossRegionAgreement (allowed: Standard, ProvisionedManaged)`,
    ]);
    input.llm.crossRegionAgreement = { reference: 'legal/dpa/2026-azure-openai.pdf', regions: ['uaenorth'] };
    expect(problemLines(input)).toEqual([]);
  });

  it('accepts in-region offerings as they are', () => {
    const input = azureExampleInput();
    input.llm.models[0].deploymentType = 'Standard';
    expect(problemLines(input)).toEqual([]);
    expect(problemLines(awsExampleInput())).toEqual([]);
  });
});

test("in a landing zone that owns the privatelink zones, the Azure OpenAI endpoint needs its central zone", () => {
  const input = azureExampleInput();
  delete input.azure.landingZone.privateDnsZoneIds.openai;
  expect(problemLines(input)).toEqual([
    'env.yaml: azure.landingZone.privateDnsZoneIds.openai: is required for llm.models[0]: the landing zone owns the privatelink zones, so the Azure OpenAI endpoint registers in its privatelink.openai.azure.com',
  ]);
});
