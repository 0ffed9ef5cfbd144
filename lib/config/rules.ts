import { ConfigProblem } from './errors';
import { EnvironmentConfig } from './schema';
import { contains, overlaps, parseCidr } from './cidr';
import { Cloud, findRegion, regionsOf } from '../sovereignty/regions';
import { findProfile, permittedRegions, SOVEREIGNTY_PROFILES } from '../sovereignty/profiles';
import { findGpuOffer, GPU_OFFERS, gpuFamiliesOf, regionAvailability } from '../sovereignty/gpu';
import { azureDeploymentLeavesRegion, bedrockProfileGeography } from '../sovereignty/llm-routing';
import { endpointUnavailableReason } from '../sovereignty/endpoints';
import { embeddingDimensions } from '../components/tei-model';
import { azureLandingZoneRules } from './azure-rules';

/**
 * Cross-field rules: what one field allows depends on another. Each rule returns every problem it
 * finds (not just the first), so a user fixes a file in one pass.
 */
export type ConfigRule = (config: EnvironmentConfig) => ConfigProblem[];

/** Tag keys the library sets itself; an environment cannot override them. */
export const RESERVED_TAG_KEYS = ['environment', 'managed-by', 'component', 'tenant_id'] as const;

const cloudBlock: ConfigRule = (config) => {
  const other: Cloud = config.cloud === 'aws' ? 'azure' : 'aws';
  const problems: ConfigProblem[] = [];
  if (config[config.cloud] === undefined) {
    problems.push({ path: [config.cloud], message: `is required when cloud is ${config.cloud}` });
  }
  if (config[other] !== undefined) {
    problems.push({ path: [other], message: `must not be set when cloud is ${config.cloud}` });
  }
  return problems;
};

/** The regions this environment may use on `cloud` (empty for an unknown profile). */
export function environmentRegions(config: EnvironmentConfig, cloud: Cloud): string[] {
  const profile = findProfile(config.sovereignty.profile);
  return profile ? permittedRegions(profile, cloud, config.sovereignty.dataSharingAgreements) : [];
}

const regionInProfile: ConfigRule = (config) => {
  const profile = findProfile(config.sovereignty.profile)!;
  if (!profile.clouds.includes(config.cloud)) {
    const profiles = SOVEREIGNTY_PROFILES.filter((candidate) => candidate.clouds.includes(config.cloud)).map((candidate) => candidate.id);
    return [{ path: ['sovereignty', 'profile'], message: `profile ${profile.id} does not run on ${config.cloud}`, allowed: profiles }];
  }
  const region = findRegion(config.cloud, config.region);
  if (!region) {
    return [{ path: ['region'], message: `${config.region} is not a ${config.cloud} region in the catalog`, allowed: regionsOf(config.cloud).map((r) => r.name) }];
  }
  const allowed = environmentRegions(config, config.cloud);
  if (allowed.includes(region.name)) {
    return [];
  }
  if (profile.regionsWithAgreement[config.cloud].includes(region.name)) {
    return [
      {
        path: ['region'],
        message: `${region.name} (${region.country}) is allowed by profile ${profile.id} only with a data-sharing agreement covering ${region.country} in sovereignty.dataSharingAgreements`,
        allowed,
      },
    ];
  }
  return [{ path: ['region'], message: `${region.name} is outside sovereignty profile ${profile.id}`, allowed }];
};

const zonesInRegion: ConfigRule = (config) => {
  const region = findRegion(config.cloud, config.region);
  if (!region) {
    return [];
  }
  const available = Math.max(region.zones.length, 1);
  if (config.network.zoneCount <= available) {
    return [];
  }
  const why = region.zones.length === 0 ? `${region.name} has no availability zones` : `${region.name} has ${available} zones`;
  return [{ path: ['network', 'zoneCount'], message: why, allowed: [`1..${available}`] }];
};

const IAM_ROLE_ARN = /^arn:aws:iam::(\d{12}):role\/[\w+=,.@/-]+$/;

/** An IAM role ARN of the environment's own account; `example` is the role name the message suggests. */
function roleArnProblems(path: ConfigProblem['path'], arn: string, accountId: string, example: string): ConfigProblem[] {
  const match = IAM_ROLE_ARN.exec(arn);
  if (!match) {
    return [{ path, message: `must be an IAM role ARN such as arn:aws:iam::123456789012:role/${example}` }];
  }
  return match[1] === accountId ? [] : [{ path, message: `names account ${match[1]}, not aws.accountId ${accountId}` }];
}

const awsPrincipals: ConfigRule = (config) => {
  if (!config.aws) {
    return [];
  }
  const { accountId } = config.aws;
  const check = (field: 'clusterAdminRoleArns' | 'keyAdminRoleArns') =>
    config.aws![field].flatMap((arn, index) => roleArnProblems(['aws', field, index], arn, accountId, 'platform-admin'));
  return [...check('clusterAdminRoleArns'), ...check('keyAdminRoleArns')];
};

/** RFC 1918: a hub network reached through peering or a transit gateway uses private addresses. */
const PRIVATE_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'].map((range) => parseCidr(range)!);

/**
 * The deploy runner must be able to reach the private EKS API (its network admitted by the API security
 * group) and to log in to it (an IAM role with an access entry: the cluster grants nobody admin by
 * creating it). Without either, the addons, workloads and tenant stacks can never be planned.
 */
const awsDeployAccess: ConfigRule = (config) => {
  if (config.cloud !== 'aws' || !config.aws) {
    return [];
  }
  const problems: ConfigProblem[] = [];
  const { deployRoleArn, accountId, clusterAdminRoleArns } = config.aws;
  if (deployRoleArn === undefined) {
    problems.push({
      path: ['aws', 'deployRoleArn'],
      message:
        'is required: the IAM role the deploy runner applies the stacks as; it gets an EKS access entry with AmazonEKSClusterAdminPolicy, without which no one can plan the Kubernetes stacks',
    });
  } else {
    const arnProblems = roleArnProblems(['aws', 'deployRoleArn'], deployRoleArn, accountId, 'platform-deployer');
    problems.push(...arnProblems);
    if (arnProblems.length === 0 && clusterAdminRoleArns.includes(deployRoleArn)) {
      problems.push({
        path: ['aws', 'deployRoleArn'],
        message: 'is also in aws.clusterAdminRoleArns: EKS takes one access entry per principal, so name the role in one of the two only',
      });
    }
  }
  if (config.network.deployRunnerCidrs.length === 0) {
    problems.push({
      path: ['network', 'deployRunnerCidrs'],
      message:
        'must name at least one range on AWS: the EKS API is private and admits only the VPC and these ranges, so a deploy runner outside them cannot reach it (hub network, peered or via transit gateway)',
    });
  }
  return problems;
};

/** Each runner range is private and outside the cluster's network; Azure has azure.landingZone.runnerCidrs. */
const deployRunnerRanges: ConfigRule = (config) => {
  const vpc = parseCidr(config.network.cidr)!;
  return config.network.deployRunnerCidrs.flatMap((text, index): ConfigProblem[] => {
    const path = ['network', 'deployRunnerCidrs', index];
    if (config.cloud === 'azure') {
      return [{ path, message: 'is used on AWS only; on Azure the runner ranges are azure.landingZone.runnerCidrs' }];
    }
    const range = parseCidr(text)!;
    if (!PRIVATE_RANGES.some((block) => contains(block, range))) {
      return [{ path, message: 'is not a private range: runners reach the private API through peering or a transit gateway', allowed: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'] }];
    }
    return overlaps(vpc, range) ? [{ path, message: `overlaps network.cidr (${config.network.cidr}): the runners' network must be routable from the VPC` }] : [];
  });
};

const networkRanges: ConfigRule = (config) => {
  const ranges = (['cidr', 'serviceCidr', 'podCidr'] as const).map((field) => ({ field, cidr: parseCidr(config.network[field])! }));
  const problems: ConfigProblem[] = [];
  const vnet = ranges[0].cidr;
  if (vnet.prefix < 16 || vnet.prefix > 22) {
    problems.push({ path: ['network', 'cidr'], message: `a /${vnet.prefix} cannot hold the node, endpoint and API subnets`, allowed: ['/16 to /22'] });
  }
  for (let i = 0; i < ranges.length; i++) {
    for (let j = i + 1; j < ranges.length; j++) {
      if (overlaps(ranges[i].cidr, ranges[j].cidr)) {
        problems.push({ path: ['network', ranges[j].field], message: `overlaps network.${ranges[i].field} (${config.network[ranges[i].field]})` });
      }
    }
  }
  return problems;
};

function poolBounds(path: string[], pool: { min: number; max: number }): ConfigProblem[] {
  return pool.min > pool.max ? [{ path: [...path, 'min'], message: `is greater than max (${pool.max})` }] : [];
}

const nodePools: ConfigRule = (config) => {
  const { system, general, gpu } = config.nodePools;
  const problems: ConfigProblem[] = [
    ...poolBounds(['nodePools', 'system'], system),
    ...poolBounds(['nodePools', 'general'], general),
    ...poolBounds(['nodePools', 'gpu'], gpu),
  ];
  if (system.min < 1) {
    problems.push({ path: ['nodePools', 'system', 'min'], message: 'the system pool runs cluster-critical add-ons and cannot scale to zero', allowed: ['1 or more'] });
  }
  const gpuSizes = new Set(GPU_OFFERS.filter((offer) => offer.cloud === config.cloud).flatMap((offer) => offer.sizes.map((size) => size.name)));
  for (const poolName of ['system', 'general'] as const) {
    if (gpuSizes.has(config.nodePools[poolName].instanceType)) {
      problems.push({ path: ['nodePools', poolName, 'instanceType'], message: 'is a GPU size; GPU capacity belongs in nodePools.gpu' });
    }
  }
  return [...problems, ...gpuOffer(config)];
};

const CLOUD_DISPLAY_NAMES: Record<Cloud, string> = { aws: 'AWS', azure: 'Azure' };

function gpuOffer(config: EnvironmentConfig): ConfigProblem[] {
  const { gpu } = config.nodePools;
  const offer = findGpuOffer(config.cloud, gpu.family);
  if (!offer) {
    const offers = GPU_OFFERS.filter((candidate) => candidate.cloud === config.cloud);
    const alternatives = offers.map((candidate) => `${candidate.family} (${candidate.series}: ${candidate.sizes.map((size) => size.name).join(', ')})`);
    const instead = offers.map((candidate) => `${candidate.family} (${candidate.sizes[0].name})`).join(' or ');
    return [
      {
        path: ['nodePools', 'gpu', 'family'],
        message: `${CLOUD_DISPLAY_NAMES[config.cloud]} offers no ${gpu.family} GPU size${instead ? `; use ${instead}` : ''}`,
        allowed: alternatives.length ? alternatives : gpuFamiliesOf(config.cloud),
      },
    ];
  }
  if (!offer.sizes.some((size) => size.name === gpu.instanceType)) {
    return [{ path: ['nodePools', 'gpu', 'instanceType'], message: `is not a size of GPU family ${gpu.family} on ${config.cloud}`, allowed: offer.sizes.map((size) => size.name) }];
  }
  const availability = regionAvailability(offer, config.region);
  if (availability === 'not-offered') {
    const offered = GPU_OFFERS.filter((candidate) => candidate.cloud === config.cloud && regionAvailability(candidate, config.region) !== 'not-offered').map((c) => c.family);
    return [{ path: ['nodePools', 'gpu', 'family'], message: `${offer.series} (${gpu.family}) is not offered in ${config.region}`, allowed: offered }];
  }
  if (availability === 'unknown' && !gpu.availabilityConfirmed) {
    return [
      {
        path: ['nodePools', 'gpu', 'availabilityConfirmed'],
        message: `the catalog does not know whether ${config.region} offers ${offer.series} (${gpu.family}); confirm the size and quota with ${config.cloud} and set this to true`,
      },
    ];
  }
  return [];
}

const stateBackend: ConfigRule = (config) => {
  const { state } = config;
  if (state.backend === 's3' && config.cloud !== 'aws') {
    return [{ path: ['state', 'backend'], message: 'the s3 backend needs cloud aws', allowed: ['azurerm', 'local', 'hcp'] }];
  }
  if (state.backend === 'azurerm' && config.cloud !== 'azure') {
    return [{ path: ['state', 'backend'], message: 'the azurerm backend needs cloud azure', allowed: ['s3', 'local', 'hcp'] }];
  }
  if (state.backend === 'hcp' && /(^|\.)terraform\.io$/.test(state.hostname)) {
    return [{ path: ['state', 'hostname'], message: 'HCP Terraform (SaaS) keeps state outside the region; name your in-region Terraform Enterprise host' }];
  }
  return [];
};

const ECR_HOST = /^\d{12}\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com/;

const mirrorsInRegion: ConfigRule = (config) => {
  const allowed = environmentRegions(config, 'aws');
  return (['imageMirror', 'chartMirror'] as const).flatMap((field): ConfigProblem[] => {
    const match = ECR_HOST.exec(config.registry[field].replace(/^oci:\/\//, ''));
    if (!match || allowed.includes(match[1])) {
      return [];
    }
    return [{ path: ['registry', field], message: `is an ECR registry in ${match[1]}, outside the sovereignty profile`, allowed }];
  });
};

const PROVIDER_CLOUD: Record<'azure-openai' | 'bedrock', Cloud> = { 'azure-openai': 'azure', bedrock: 'aws' };
const CLUSTER_OF: Record<Cloud, string> = { aws: 'an EKS', azure: 'an AKS' };

const llmModels: ConfigRule = (config) => {
  const problems: ConfigProblem[] = [];
  const names = config.llm.models.map((model) => model.name);
  const agreementRegions = config.llm.crossRegionAgreement?.regions ?? [];
  config.llm.models.forEach((model, index) => {
    if (names.indexOf(model.name) !== index) {
      problems.push({ path: ['llm', 'models', index, 'name'], message: `duplicates model ${model.name}` });
    }
    const cloud = PROVIDER_CLOUD[model.provider];
    const permitted = environmentRegions(config, cloud);
    const before = problems.length;
    if (!findRegion(cloud, model.region) && !agreementRegions.includes(model.region)) {
      problems.push({ path: ['llm', 'models', index, 'region'], message: `${model.region} is not a ${cloud} region in the catalog`, allowed: permitted });
    } else if (!permitted.includes(model.region) && !agreementRegions.includes(model.region)) {
      problems.push({
        path: ['llm', 'models', index, 'region'],
        message: `${model.region} is outside the sovereignty profile; declare llm.crossRegionAgreement naming this region to allow it`,
        allowed: permitted,
      });
    }
    if (model.provider === 'azure-openai' && !model.endpoint) {
      problems.push({ path: ['llm', 'models', index, 'endpoint'], message: 'is required for azure-openai models' });
    }
    // The path is judged only for a region that is acceptable in itself (one message per field).
    problems.push(...(problems.length === before ? llmModelPath(config, index) : []), ...llmModelResidency(config, index));
  });
  config.llm.fallbacks.forEach((fallback, index) => {
    if (!names.includes(fallback.model)) {
      problems.push({ path: ['llm', 'fallbacks', index, 'model'], message: `${fallback.model} is not a declared model`, allowed: names });
    }
    fallback.to.forEach((target, targetIndex) => {
      if (!names.includes(target) || target === fallback.model) {
        problems.push({ path: ['llm', 'fallbacks', index, 'to', targetIndex], message: `${target} is not another declared model`, allowed: names.filter((n) => n !== fallback.model) });
      }
    });
  });
  return problems;
};

/**
 * A model is usable only if the cluster's network reaches it: the cluster has no internet egress. Same
 * cloud: Bedrock through the region's `bedrock-runtime` VPC endpoint (so the model must be in the cluster's
 * region), Azure OpenAI through the private endpoint the platform creates from `resourceId`. Other cloud:
 * only through a declared interconnect.
 */
function llmModelPath(config: EnvironmentConfig, index: number): ConfigProblem[] {
  const model = config.llm.models[index];
  const at = (field: string) => ['llm', 'models', index, field];
  if (PROVIDER_CLOUD[model.provider] !== config.cloud) {
    if (config.llm.interconnect?.providers.includes(model.provider)) {
      return [];
    }
    return [
      {
        path: at('provider'),
        message: `${model.provider} is not reachable from ${CLUSTER_OF[config.cloud]} cluster (no internet egress): declare llm.interconnect with providers [${model.provider}] for the private path you operate, or use a model of ${config.cloud}`,
      },
    ];
  }
  if (model.provider === 'bedrock' && model.region !== config.region) {
    return [{ path: at('region'), message: `must be the cluster's region ${config.region}: the bedrock-runtime VPC endpoint serves only its own region`, allowed: [config.region] }];
  }
  const missingEndpoint = model.provider === 'bedrock' ? endpointUnavailableReason(config.region, 'bedrock-runtime') : undefined;
  if (missingEndpoint !== undefined) {
    return [{ path: at('provider'), message: `${config.region} has no bedrock-runtime VPC endpoint (${missingEndpoint}), so the private cluster cannot reach Bedrock` }];
  }
  if (model.provider === 'azure-openai' && model.resourceId === undefined) {
    return [{ path: at('resourceId'), message: 'is required for azure-openai models on Azure: the private endpoint to the Azure OpenAI account is created from it' }];
  }
  const centralZones = config.azure?.landingZone.privateDnsZoneIds;
  if (model.provider === 'azure-openai' && centralZones !== undefined && centralZones.openai === undefined) {
    return [
      {
        path: ['azure', 'landingZone', 'privateDnsZoneIds', 'openai'],
        message: `is required for llm.models[${index}]: the landing zone owns the privatelink zones, so the Azure OpenAI endpoint registers in its privatelink.openai.azure.com`,
      },
    ];
  }
  return [];
}

/** Offerings that route prompts to other regions need the cross-region agreement, like a model outside the profile. */
function llmModelResidency(config: EnvironmentConfig, index: number): ConfigProblem[] {
  if (config.llm.crossRegionAgreement !== undefined) {
    return [];
  }
  const model = config.llm.models[index];
  const geography = model.provider === 'bedrock' ? bedrockProfileGeography(model.model) : undefined;
  if (geography !== undefined) {
    return [
      {
        path: ['llm', 'models', index, 'model'],
        message: `${model.model} is a cross-region inference profile (${geography}.): Bedrock may process requests outside ${model.region}; use the in-region model id or declare llm.crossRegionAgreement`,
      },
    ];
  }
  if (model.provider === 'azure-openai' && azureDeploymentLeavesRegion(model.deploymentType)) {
    return [
      {
        path: ['llm', 'models', index, 'deploymentType'],
        message: `${model.deploymentType} deployments may process prompts outside ${model.region}; use Standard or ProvisionedManaged, or declare llm.crossRegionAgreement`,
        allowed: ['Standard', 'ProvisionedManaged'],
      },
    ];
  }
  return [];
}

/**
 * Qdrant keeps a shard readable through the loss of a node, volume or zone only if a copy lives elsewhere.
 * Peers spread one per zone (lib/components/qdrant.ts), but Qdrant places a shard's replicas on any peers,
 * not by zone: all copies of a shard can be in one zone unless there are more copies than peers per zone.
 */
function qdrantZoneLoss(qdrant: EnvironmentConfig['components']['qdrant'], zoneCount: number): ConfigProblem[] {
  const path = ['components', 'qdrant', 'replicationFactor'];
  if (qdrant.replicationFactor < 2) {
    return [{ path, message: 'must be at least 2: with one copy, a shard is lost with its peer\'s node, volume or zone', allowed: [`2..${qdrant.replicas}`] }];
  }
  const peersPerZone = Math.ceil(qdrant.replicas / zoneCount);
  if (zoneCount > 1 && qdrant.replicationFactor <= peersPerZone) {
    return [
      {
        path,
        message: `must exceed the peers per zone (${qdrant.replicas} peers over ${zoneCount} zones: up to ${peersPerZone} in one zone), or every copy of a shard may sit in the zone that is lost; raise it or lower components.qdrant.replicas`,
        allowed: [`${peersPerZone + 1}..${qdrant.replicas}`],
      },
    ];
  }
  return [];
}

const components: ConfigRule = (config) => {
  const { qdrant, orchestrator } = config.components;
  const problems: ConfigProblem[] = [];
  if (qdrant.replicationFactor > qdrant.replicas) {
    problems.push({ path: ['components', 'qdrant', 'replicationFactor'], message: `cannot exceed replicas (${qdrant.replicas})` });
  }
  problems.push(...qdrantZoneLoss(qdrant, config.network.zoneCount));
  if (qdrant.shards !== undefined && qdrant.shards < 2 * qdrant.replicas) {
    problems.push({ path: ['components', 'qdrant', 'shards'], message: `must be at least twice the peers (${2 * qdrant.replicas}): shards do not rebalance when peers are added` });
  }
  if (embeddingDimensions(config.components.tei) === undefined) {
    problems.push({ path: ['components', 'tei', 'dimensions'], message: `is required for ${config.components.tei.modelId}: the collections' vector size is the model's embedding size` });
  }
  const collections = qdrant.collections.map((collection) => collection.name);
  qdrant.collections.forEach((collection, index) => {
    if (collections.indexOf(collection.name) !== index) {
      problems.push({ path: ['components', 'qdrant', 'collections', index, 'name'], message: `duplicates collection ${collection.name}` });
    }
  });
  config.tenants.forEach((tenant, index) =>
    tenant.corpora.forEach((corpus, corpusIndex) => {
      if (!collections.includes(corpus)) {
        problems.push({ path: ['tenants', index, 'corpora', corpusIndex], message: `${corpus} is not a collection in components.qdrant.collections`, allowed: collections });
      }
    }),
  );
  if (orchestrator.maxReplicas < orchestrator.replicas) {
    problems.push({ path: ['components', 'orchestrator', 'maxReplicas'], message: `is below replicas (${orchestrator.replicas})` });
  }
  return problems;
};

const tenants: ConfigRule = (config) => {
  const problems: ConfigProblem[] = [];
  const ids = config.tenants.map((tenant) => tenant.id);
  const models = config.llm.models.map((model) => model.name);
  config.tenants.forEach((tenant, index) => {
    if (ids.indexOf(tenant.id) !== index) {
      problems.push({ path: ['tenants', index, 'id'], message: `duplicates tenant ${tenant.id} (tenants[${ids.indexOf(tenant.id)}])` });
    }
    tenant.llm.allowedModels.forEach((model, modelIndex) => {
      if (!models.includes(model)) {
        problems.push({ path: ['tenants', index, 'llm', 'allowedModels', modelIndex], message: `${model} is not a model in llm.models`, allowed: models });
      }
    });
  });
  return problems;
};

/** A policy exception names a stack of this environment (a declared tenant's, for tenant stacks). */
const exceptionScope: ConfigRule = (config) => {
  const tenantStacks = config.tenants.map((tenant) => `${config.name}-tenant-${tenant.id}`);
  return config.policy.exceptions.flatMap((exception, index) => {
    const isTenantStack = exception.stack.startsWith(`${config.name}-tenant-`);
    if (exception.stack.startsWith(`${config.name}-`) && (!isTenantStack || tenantStacks.includes(exception.stack))) {
      return [];
    }
    return [{
      path: ['policy', 'exceptions', index, 'stack'],
      message: `${exception.stack} is not a stack of environment ${config.name}`,
      allowed: [`${config.name}-<state|platform|workloads|...>`, ...tenantStacks],
    }];
  });
};

/** The azurerm state store is private (no public endpoint): the deploy runner reaches it through private endpoints in its own subnet. */
const azureStateReachable: ConfigRule = (config) => {
  if (config.cloud !== 'azure' || !config.azure || config.state.backend !== 'azurerm' || config.azure.deployRunnerSubnetId) {
    return [];
  }
  return [
    {
      path: ['azure', 'deployRunnerSubnetId'],
      message: 'is required with the azurerm state backend: the state storage account and its Key Vault have public network access off and get private endpoints in the deploy runner\'s subnet',
    },
  ];
};

const tags: ConfigRule = (config) =>
  Object.keys(config.tags)
    .filter((key) => (RESERVED_TAG_KEYS as readonly string[]).includes(key))
    .map((key) => ({ path: ['tags', key], message: 'is set by the library and cannot be overridden' }));

/**
 * Rules that everything else builds on: when the cloud block or the region is wrong, the other rules'
 * findings would only be echoes of that mistake, so they are not run.
 */
export const FOUNDATION_RULES: readonly ConfigRule[] = [cloudBlock, regionInProfile];

export const CONFIG_RULES: readonly ConfigRule[] = [
  zonesInRegion,
  awsPrincipals,
  awsDeployAccess,
  deployRunnerRanges,
  azureLandingZoneRules,
  azureStateReachable,
  networkRanges,
  nodePools,
  stateBackend,
  mirrorsInRegion,
  llmModels,
  components,
  tenants,
  exceptionScope,
  tags,
];
