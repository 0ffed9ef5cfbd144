import { AWS_EXAMPLE, awsExampleInput, configFrom, resourcesOf, synthEnvironment, synthExample } from '../helpers';
import { AZURE_EXAMPLE, CORE42_EXAMPLE } from '../azure/helpers';
import { bedrockModelArns } from '../../lib/aws/eks-cluster-info';

/**
 * LiteLLM reaches its models as itself: Pod Identity with invoke rights on exactly the configured Bedrock
 * models, through the region's bedrock-runtime endpoint; models of the other cloud with keys from the
 * secret store. Its metrics endpoint is on, and the salt key is its own secret.
 */

const stackOf = (stacks: Record<string, any>, suffix: string) => Object.entries(stacks).find(([name]) => name.endsWith(suffix))![1];
const litellmValues = (workloads: any) => JSON.parse(resourcesOf(workloads, 'helm_release').find(([, r]) => r.name === 'litellm')![1].values[0]);
const providerEnv = (workloads: any) =>
  resourcesOf(workloads, 'kubernetes_manifest')
    .map(([, m]) => m.manifest)
    .find((m) => m.kind === 'ExternalSecret' && m.metadata.name === 'litellm-provider-env');
const secretKeys = (workloads: any) => providerEnv(workloads).spec.data.map((d: any) => d.secretKey).sort();

describe('EKS (AWS example: Bedrock in-region, Azure OpenAI over the interconnect)', () => {
  const { stacks } = synthExample(AWS_EXAMPLE);
  const workloads = stackOf(stacks, '-workloads');
  const platform = stackOf(stacks, '-platform');
  // Network policies live with the namespaces in `<env>-addons`.
  const addons = stackOf(stacks, '-addons');

  test('Pod Identity for the litellm ServiceAccount, allowed to invoke only the listed Bedrock model', () => {
    const association = resourcesOf(workloads, 'aws_eks_pod_identity_association').map(([, a]) => a).find((a) => a.service_account === 'litellm')!;
    expect(association.namespace).toBe('llm-gateway');
    const [, policy] = resourcesOf(workloads, 'aws_iam_role_policy').find(([, p]) => p.name === 'litellm')!;
    expect(JSON.parse(policy.policy).Statement).toEqual([
      {
        Effect: 'Allow',
        Action: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'],
        Resource: ['arn:aws:bedrock:me-central-1::foundation-model/anthropic.claude-3-5-sonnet-20240620-v1:0'],
      },
    ]);
    const v = litellmValues(workloads);
    expect(v.serviceAccount).toEqual({ create: true, name: 'litellm', annotations: {} });
  });

  test('a bedrock-runtime interface endpoint exists because a Bedrock model is configured, and not otherwise', () => {
    const names = (stack: any) => resourcesOf(stack, 'aws_vpc_endpoint').map(([, e]) => e.service_name);
    expect(names(platform)).toContain('com.amazonaws.me-central-1.bedrock-runtime');
    const input = awsExampleInput();
    input.llm.models = [input.llm.models[0]];
    input.llm.fallbacks = [];
    input.tenants.forEach((tenant: any) => (tenant.llm.allowedModels = ['gpt-4o']));
    const withoutBedrock = stackOf(synthEnvironment(configFrom(input)).stacks, '-platform');
    expect(names(withoutBedrock)).not.toContain('com.amazonaws.me-central-1.bedrock-runtime');
  });

  test('egress to the Pod Identity agent (169.254.170.23 and fd00:ec2::23, port 80) from the gateway pods', () => {
    const policy = resourcesOf(addons, 'kubernetes_network_policy_v1')
      .map(([, p]) => p)
      .find((p) => p.metadata.namespace === 'llm-gateway' && p.metadata.name === 'allow-litellm-to-workload-identity-agent')!;
    expect(policy.spec.pod_selector.match_labels).toEqual({ 'app.kubernetes.io/name': 'litellm' });
    expect(policy.spec.egress).toEqual([{ to: [{ ip_block: { cidr: '169.254.170.23/32' } }, { ip_block: { cidr: 'fd00:ec2::23/128' } }], ports: [{ port: '80', protocol: 'TCP' }] }]);
  });

  test('Prometheus callback on (scraped with the metrics-only key: litellm-metrics.test.ts), salt key separate from the master key, no AWS keys', () => {
    const v = litellmValues(workloads);
    expect(v.proxy_config.litellm_settings.callbacks).toEqual(['prometheus']);
    expect(secretKeys(workloads)).toEqual(['AZURE_API_KEY', 'LITELLM_SALT_KEY', 'REDIS_PASSWORD']);
    const salt = providerEnv(workloads).spec.data.find((d: any) => d.secretKey === 'LITELLM_SALT_KEY');
    expect(salt.remoteRef.key).toMatch(/litellm\/salt-key$/);
    expect(v.masterkeySecretName).toBe('litellm-master-key');
  });
});

describe('AKS (Azure example: Bedrock over the interconnect)', () => {
  const { stacks } = synthExample(AZURE_EXAMPLE);
  const workloads = stackOf(stacks, '-workloads');
  const platform = stackOf(stacks, '-platform');

  const openAiEndpoints = (stack: any) =>
    resourcesOf(stack, 'azurerm_private_endpoint').map(([, e]) => e).filter((e) => e.private_service_connection.subresource_names[0] === 'account');

  test("a private endpoint to the named Azure OpenAI account, its record in the landing zone's central zone", () => {
    const endpoints = openAiEndpoints(platform);
    expect(endpoints).toHaveLength(1);
    expect(endpoints[0].private_service_connection.private_connection_resource_id).toBe(
      '/subscriptions/11111111-2222-4333-8444-555555555555/resourceGroups/uae-prod-ai/providers/Microsoft.CognitiveServices/accounts/uae-prod-openai',
    );
    expect(endpoints[0].private_dns_zone_group.private_dns_zone_ids).toEqual([
      '/subscriptions/33333333-4444-4555-8666-777777777777/resourceGroups/private-dns/providers/Microsoft.Network/privateDnsZones/privatelink.openai.azure.com',
    ]);
    expect(resourcesOf(platform, 'azurerm_private_dns_zone')).toHaveLength(0);
  });

  test('without central zones: one endpoint per account (two models, one account), our own zone linked to the VNet and the hub', () => {
    const core42 = stackOf(synthExample(CORE42_EXAMPLE).stacks, '-platform');
    expect(openAiEndpoints(core42)).toHaveLength(1);
    const links = resourcesOf(core42, 'azurerm_private_dns_zone_virtual_network_link')
      .map(([, l]) => l)
      .filter((l) => l.tags.Name === 'privatelink.openai.azure.com');
    expect(links.map((l) => l.name).sort()).toEqual(['hub-vnet', 'platform-vnet']);
  });

  test('Bedrock by keys from Key Vault (AWS identity cannot reach AKS pods); Entra workload identity on the pods', () => {
    expect(secretKeys(workloads)).toEqual(['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AZURE_API_KEY', 'LITELLM_SALT_KEY', 'REDIS_PASSWORD']);
    const v = litellmValues(workloads);
    expect(v.podLabels).toEqual({ 'azure.workload.identity/use': 'true' });
    expect(Object.keys(v.serviceAccount.annotations)).toContain('azure.workload.identity/client-id');
  });
});

test('cross-region inference profiles (with an agreement) need the profile and the foundation model in every region', () => {
  expect(bedrockModelArns({ provider: 'bedrock', region: 'me-central-1', model: 'global.anthropic.claude-sonnet-4-20250514-v1:0' }, '111122223333')).toEqual([
    'arn:aws:bedrock:me-central-1:111122223333:inference-profile/global.anthropic.claude-sonnet-4-20250514-v1:0',
    'arn:aws:bedrock:*::foundation-model/anthropic.claude-sonnet-4-20250514-v1:0',
  ]);
});
