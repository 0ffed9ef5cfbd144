import { awsExampleInput, problemLines } from '../helpers';

/** Each cross-field rule has a failing case that asserts its exact message. */
describe('cross-field rules', () => {
  it('requires the block of the chosen cloud and forbids the other', () => {
    const input = awsExampleInput();
    input.azure = {
      subscriptionId: '00000000-0000-0000-0000-000000000001',
      tenantId: '00000000-0000-0000-0000-000000000002',
      adminGroupObjectIds: ['00000000-0000-0000-0000-000000000003'],
      deployerPrincipalId: '00000000-0000-0000-0000-000000000004',
      landingZone: { runnerCidrs: ['10.0.8.0/24'] },
    };
    delete input.aws;
    expect(problemLines(input)).toEqual(expect.arrayContaining(['env.yaml: aws: is required when cloud is aws', 'env.yaml: azure: must not be set when cloud is aws']));
  });

  it('rejects a region outside the sovereignty profile', () => {
    const input = awsExampleInput();
    input.region = 'eu-west-1';
    expect(problemLines(input)).toEqual(['env.yaml: region: eu-west-1 is not a aws region in the catalog (allowed: me-central-1, me-south-1)']);
  });

  it('rejects Bahrain under uae-only', () => {
    const input = awsExampleInput();
    input.region = 'me-south-1';
    input.nodePools.gpu.availabilityConfirmed = true;
    expect(problemLines(input)).toContain('env.yaml: region: me-south-1 is outside sovereignty profile uae-only (allowed: me-central-1)');
  });

  it('admits Bahrain under gcc only with a data-sharing agreement covering BH', () => {
    const input = awsExampleInput();
    input.region = 'me-south-1';
    input.sovereignty.profile = 'gcc';
    input.nodePools.gpu.availabilityConfirmed = true;
    input.registry = { imageMirror: '111122223333.dkr.ecr.me-south-1.amazonaws.com/mirror', chartMirror: 'oci://111122223333.dkr.ecr.me-south-1.amazonaws.com/charts' };
    input.llm.models[1].region = 'me-south-1'; // Bedrock through the cluster region's endpoint
    expect(problemLines(input)).toEqual(expect.arrayContaining([
      'env.yaml: region: me-south-1 (BH) is allowed by profile gcc only with a data-sharing agreement covering BH in sovereignty.dataSharingAgreements (allowed: me-central-1)',
    ]));
    input.sovereignty.dataSharingAgreements = [{ id: 'DSA-2026-07', countries: ['BH'], reference: 'legal/dsa/2026-07-bahrain.pdf' }];
    expect(problemLines(input)).toEqual([]);
  });

  it('rejects a profile that does not run on the cloud', () => {
    const input = awsExampleInput();
    input.sovereignty.profile = 'core42-uae';
    expect(problemLines(input)).toEqual(['env.yaml: sovereignty.profile: profile core42-uae does not run on aws (allowed: uae-only, gcc, uae, bahrain, qatar)']);
  });

  it('rejects more zones than a zone-less region has', () => {
    const input = awsExampleInput();
    delete input.aws;
    delete input.network.deployRunnerCidrs;
    Object.assign(input, {
      cloud: 'azure',
      region: 'uaecentral',
      azure: {
        subscriptionId: '00000000-0000-0000-0000-000000000001',
        tenantId: '00000000-0000-0000-0000-000000000002',
        adminGroupObjectIds: ['00000000-0000-0000-0000-000000000003'],
        deployerPrincipalId: '00000000-0000-0000-0000-000000000004',
        landingZone: { runnerCidrs: ['10.0.8.0/24'], hubVirtualNetworkId: '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/hub/providers/Microsoft.Network/virtualNetworks/hub' },
        firewallPrivateIp: '10.0.0.4',
      },
      state: { backend: 'local' },
      // The platform registry of environment uae-prod-aws: on Azure it is the mirror.
      registry: { imageMirror: 'uaeprodawsplatform.azurecr.io/mirror', chartMirror: 'oci://uaeprodawsplatform.azurecr.io/charts' },
    });
    input.nodePools.gpu = { family: 'T4', instanceType: 'Standard_NC4as_T4_v3', max: 2, availabilityConfirmed: true };
    // The example's models, reachable from Azure: the OpenAI account by private endpoint, Bedrock by interconnect.
    input.llm.models[0].resourceId = '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/ai/providers/Microsoft.CognitiveServices/accounts/uae-prod-openai';
    input.llm.interconnect = { reference: 'network/interconnects/azure-aws.md', providers: ['bedrock'] };
    input.nodePools.system.instanceType = 'Standard_D4ds_v5';
    input.nodePools.general.instanceType = 'Standard_D8ds_v5';
    input.network.zoneCount = 3;
    expect(problemLines(input)).toEqual(['env.yaml: network.zoneCount: uaecentral has no availability zones (allowed: 1..1)']);
    input.network.zoneCount = 1;
    expect(problemLines(input)).toEqual([]);
    input.nodePools.gpu = { family: 'L4', instanceType: 'Standard_NC4as_T4_v3', max: 2 };
    expect(problemLines(input)).toEqual([expect.stringMatching(/^env\.yaml: nodePools\.gpu\.family: Azure offers no L4 GPU size; use T4 \(Standard_NC4as_T4_v3\) or A10 \(Standard_NV36ads_A10_v5\) \(allowed: T4 \(NCasT4_v3: Standard_NC4as_T4_v3, .*\), A10 \(NVadsA10_v5: Standard_NV36ads_A10_v5, .*\)\)$/)]);
  });

  it('rejects role ARNs of another account or malformed ones', () => {
    const input = awsExampleInput();
    input.aws.clusterAdminRoleArns = ['arn:aws:iam::999999999999:role/admin', 'admin'];
    expect(problemLines(input)).toEqual([
      'env.yaml: aws.clusterAdminRoleArns[0]: names account 999999999999, not aws.accountId 111122223333',
      'env.yaml: aws.clusterAdminRoleArns[1]: must be an IAM role ARN such as arn:aws:iam::123456789012:role/platform-admin',
    ]);
  });

  describe('deploy access on AWS: the runner must reach and log in to the private API', () => {
    it('requires the deploy role', () => {
      const input = awsExampleInput();
      delete input.aws.deployRoleArn;
      expect(problemLines(input)).toEqual([
        'env.yaml: aws.deployRoleArn: is required: the IAM role the deploy runner applies the stacks as; it gets an EKS access entry with AmazonEKSClusterAdminPolicy, without which no one can plan the Kubernetes stacks',
      ]);
    });

    it('checks the deploy role like the other ARNs, and refuses a second access entry for an admin role', () => {
      const input = awsExampleInput();
      input.aws.deployRoleArn = 'deployer';
      expect(problemLines(input)).toEqual(['env.yaml: aws.deployRoleArn: must be an IAM role ARN such as arn:aws:iam::123456789012:role/platform-deployer']);
      input.aws.deployRoleArn = 'arn:aws:iam::999999999999:role/deployer';
      expect(problemLines(input)).toEqual(['env.yaml: aws.deployRoleArn: names account 999999999999, not aws.accountId 111122223333']);
      input.aws.deployRoleArn = input.aws.clusterAdminRoleArns[0];
      expect(problemLines(input)).toEqual([
        'env.yaml: aws.deployRoleArn: is also in aws.clusterAdminRoleArns: EKS takes one access entry per principal, so name the role in one of the two only',
      ]);
    });

    it('requires at least one runner range', () => {
      const input = awsExampleInput();
      input.network.deployRunnerCidrs = [];
      expect(problemLines(input)).toEqual([
        'env.yaml: network.deployRunnerCidrs: must name at least one range on AWS: the EKS API is private and admits only the VPC and these ranges, so a deploy runner outside them cannot reach it (hub network, peered or via transit gateway)',
      ]);
    });

    it('runner ranges are CIDRs, private, and outside the VPC', () => {
      const input = awsExampleInput();
      input.network.deployRunnerCidrs = ['10.40.8.0/24', '52.95.0.0/16', '172.16.8.1/24'];
      expect(problemLines(input)).toEqual([
        'env.yaml: network.deployRunnerCidrs[2]: must be an IPv4 CIDR block such as 10.40.0.0/16, with no host bits set',
      ]);
      input.network.deployRunnerCidrs = ['10.40.8.0/24', '52.95.0.0/16', '172.16.8.0/24'];
      expect(problemLines(input)).toEqual([
        "env.yaml: network.deployRunnerCidrs[0]: overlaps network.cidr (10.40.0.0/16): the runners' network must be routable from the VPC",
        'env.yaml: network.deployRunnerCidrs[1]: is not a private range: runners reach the private API through peering or a transit gateway (allowed: 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16)',
      ]);
    });
  });

  it('rejects overlapping network ranges', () => {
    const input = awsExampleInput();
    input.network.serviceCidr = '10.40.16.0/20';
    expect(problemLines(input)).toEqual(['env.yaml: network.serviceCidr: overlaps network.cidr (10.40.0.0/16)']);
    input.network.serviceCidr = '172.20.0.0/16';
    input.network.podCidr = '172.20.128.0/17';
    expect(problemLines(input)).toEqual(['env.yaml: network.podCidr: overlaps network.serviceCidr (172.20.0.0/16)']);
  });

  it('rejects a network too small or too large for the subnet plan', () => {
    const input = awsExampleInput();
    input.network.cidr = '10.0.0.0/8';
    expect(problemLines(input)).toEqual(['env.yaml: network.cidr: a /8 cannot hold the node, endpoint and API subnets (allowed: /16 to /22)']);
  });

  it('rejects min above max, and a system pool that scales to zero', () => {
    const input = awsExampleInput();
    input.nodePools.general.min = 20;
    input.nodePools.system.min = 0;
    expect(problemLines(input)).toEqual([
      'env.yaml: nodePools.general.min: is greater than max (12)',
      'env.yaml: nodePools.system.min: the system pool runs cluster-critical add-ons and cannot scale to zero (allowed: 1 or more)',
    ]);
  });

  it('lets the GPU pool scale to zero', () => {
    const input = awsExampleInput();
    input.nodePools.gpu.min = 0;
    expect(problemLines(input)).toEqual([]);
  });

  it('rejects a GPU size in a CPU pool', () => {
    const input = awsExampleInput();
    input.nodePools.general.instanceType = 'g6.2xlarge';
    expect(problemLines(input)).toEqual(['env.yaml: nodePools.general.instanceType: is a GPU size; GPU capacity belongs in nodePools.gpu']);
  });

  it('rejects an instance type outside the GPU family with the family sizes', () => {
    const input = awsExampleInput();
    input.nodePools.gpu.instanceType = 'p5.48xlarge';
    expect(problemLines(input)).toEqual([
      'env.yaml: nodePools.gpu.instanceType: is not a size of GPU family L4 on aws (allowed: g6.xlarge, g6.2xlarge, g6.4xlarge, g6.8xlarge, g6.16xlarge, gr6.4xlarge, gr6.8xlarge, g6.12xlarge, g6.24xlarge, g6.48xlarge)',
    ]);
  });

  it('rejects a GPU family the region does not offer', () => {
    const input = awsExampleInput();
    input.nodePools.gpu = { family: 'A10', instanceType: 'g5.xlarge', max: 2 };
    expect(problemLines(input)).toEqual(['env.yaml: nodePools.gpu.family: g5 (A10) is not offered in me-central-1 (allowed: L4, T4)']);
  });

  it('makes the owner confirm a GPU offer whose availability is unknown', () => {
    const input = awsExampleInput();
    input.nodePools.gpu = { family: 'T4', instanceType: 'g4dn.xlarge', max: 2 };
    expect(problemLines(input)).toEqual([
      'env.yaml: nodePools.gpu.availabilityConfirmed: the catalog does not know whether me-central-1 offers g4dn (T4); confirm the size and quota with aws and set this to true',
    ]);
    input.nodePools.gpu.availabilityConfirmed = true;
    expect(problemLines(input)).toEqual([]);
  });

  it('rejects a state backend of the other cloud and HCP Terraform SaaS', () => {
    const input = awsExampleInput();
    input.state = { backend: 'azurerm' };
    expect(problemLines(input)).toEqual(['env.yaml: state.backend: the azurerm backend needs cloud azure (allowed: s3, local, hcp)']);
    input.state = { backend: 'hcp', hostname: 'app.terraform.io', organization: 'acme' };
    expect(problemLines(input)).toEqual([
      'env.yaml: state.hostname: HCP Terraform (SaaS) keeps state outside the region; name your in-region Terraform Enterprise host',
    ]);
  });

  it('rejects a local state directory outside the project', () => {
    const input = awsExampleInput();
    input.state = { backend: 'local', directory: '/var/state' };
    expect(problemLines(input)).toEqual(['env.yaml: state.directory: must be a relative path inside the project']);
  });

  it('rejects an ECR mirror in a region outside the profile', () => {
    const input = awsExampleInput();
    input.registry.imageMirror = '111122223333.dkr.ecr.eu-west-1.amazonaws.com/mirror';
    expect(problemLines(input)).toEqual(['env.yaml: registry.imageMirror: is an ECR registry in eu-west-1, outside the sovereignty profile (allowed: me-central-1)']);
  });

  it('rejects an LLM outside the profile unless a cross-region agreement names its region', () => {
    const input = awsExampleInput();
    input.llm.models[1].region = 'eu-central-1';
    expect(problemLines(input)).toEqual(['env.yaml: llm.models[1].region: eu-central-1 is not a aws region in the catalog (allowed: me-central-1)']);
    input.llm.models[1].region = 'me-south-1';
    expect(problemLines(input)).toEqual([
      'env.yaml: llm.models[1].region: me-south-1 is outside the sovereignty profile; declare llm.crossRegionAgreement naming this region to allow it (allowed: me-central-1)',
    ]);
    // The agreement settles residency; the private cluster still reaches Bedrock only in its own region.
    input.llm.crossRegionAgreement = { reference: 'legal/dpa/2026-bedrock.pdf', regions: ['me-south-1'] };
    expect(problemLines(input)).toEqual([
      "env.yaml: llm.models[1].region: must be the cluster's region me-central-1: the bedrock-runtime VPC endpoint serves only its own region (allowed: me-central-1)",
    ]);
  });

  it('requires an endpoint for Azure OpenAI models and known fallback targets', () => {
    const input = awsExampleInput();
    delete input.llm.models[0].endpoint;
    input.llm.fallbacks = [{ model: 'gpt-4o', to: ['gpt-4o', 'mistral'] }];
    expect(problemLines(input)).toEqual([
      'env.yaml: llm.fallbacks[0].to[0]: gpt-4o is not another declared model (allowed: claude-sonnet)',
      'env.yaml: llm.fallbacks[0].to[1]: mistral is not another declared model (allowed: claude-sonnet)',
      'env.yaml: llm.models[0].endpoint: is required for azure-openai models',
    ]);
  });

  it('enforces Qdrant shards >= 2x peers and replication <= peers', () => {
    const input = awsExampleInput();
    input.components.qdrant = { replicas: 3, shards: 4, replicationFactor: 4 };
    expect(problemLines(input)).toEqual([
      'env.yaml: components.qdrant.replicationFactor: cannot exceed replicas (3)',
      'env.yaml: components.qdrant.shards: must be at least twice the peers (6): shards do not rebalance when peers are added',
    ]);
  });

  it('requires Qdrant replication >= 2 and more copies than peers per zone (zone loss)', () => {
    const single = awsExampleInput();
    single.components.qdrant = { replicas: 3, shards: 6, replicationFactor: 1 };
    expect(problemLines(single)).toEqual([
      "env.yaml: components.qdrant.replicationFactor: must be at least 2: with one copy, a shard is lost with its peer's node, volume or zone (allowed: 2..3)",
    ]);
    const crowded = awsExampleInput();
    crowded.components.qdrant = { replicas: 6, shards: 12, replicationFactor: 2 };
    expect(problemLines(crowded)).toEqual([
      'env.yaml: components.qdrant.replicationFactor: must exceed the peers per zone (6 peers over 3 zones: up to 2 in one zone), or every copy of a shard may sit in the zone that is lost; raise it or lower components.qdrant.replicas (allowed: 3..6)',
    ]);
    crowded.components.qdrant.replicationFactor = 3;
    expect(problemLines(crowded)).toEqual([]);
    // One zone (UAE Central): peers spread over nodes only; replication 2 survives a node or volume loss.
    const oneZone = awsExampleInput();
    oneZone.network.zoneCount = 1;
    oneZone.components.qdrant = { replicas: 3, shards: 6, replicationFactor: 2 };
    expect(problemLines(oneZone)).toEqual([]);
  });

  it('rejects duplicate tenant ids and unknown models', () => {
    const input = awsExampleInput();
    input.tenants[1].id = 'ministry-health';
    input.tenants[1].llm.allowedModels = ['gpt-5'];
    expect(problemLines(input)).toEqual([
      'env.yaml: tenants[1].id: duplicates tenant ministry-health (tenants[0])',
      'env.yaml: tenants[1].llm.allowedModels[0]: gpt-5 is not a model in llm.models (allowed: gpt-4o, claude-sonnet)',
    ]);
  });

  it('fails by default when a tenant has no id', () => {
    const input = awsExampleInput();
    delete input.tenants[0].id;
    expect(problemLines(input)).toEqual(['env.yaml: tenants[0].id: is required']);
  });

  it('rejects a negative budget', () => {
    const input = awsExampleInput();
    input.tenants[0].llm.monthlyBudgetUsd = -1;
    expect(problemLines(input)).toEqual(['env.yaml: tenants[0].llm.monthlyBudgetUsd: must not be negative']);
  });

  it('keeps the library-owned tag keys', () => {
    const input = awsExampleInput();
    input.tags.environment = 'dev';
    expect(problemLines(input)).toEqual(['env.yaml: tags.environment: is set by the library and cannot be overridden']);
  });
});
