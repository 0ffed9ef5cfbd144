import { EnvironmentConfig } from '../lib/config/schema';
import { environmentRegions } from '../lib/config/rules';
import { stackName, StackKind } from '../lib/naming';
import { PolicyEnvironment, StackRef } from '../lib/policy/types';

/** Tag keys every taggable resource must carry: the library sets them on every cloud. */
export const REQUIRED_TAGS = ['environment', 'managed-by'] as const;

/**
 * What the policies need to know about the environment (`data.environment`). `today` (YYYY-MM-DD, from
 * the CLI) is passed on only when an exception expires, so environments without expiring exceptions
 * synthesize byte-identical policy data on every day.
 */
export function policyEnvironment(config: EnvironmentConfig, today?: string): PolicyEnvironment {
  const expiring = config.policy.exceptions.some((exception) => exception.expires !== undefined);
  return {
    name: config.name,
    cloud: config.cloud,
    permittedRegions: { aws: environmentRegions(config, 'aws'), azure: environmentRegions(config, 'azure') },
    imageMirror: config.registry.imageMirror,
    chartMirror: config.registry.chartMirror,
    localChartsDir: 'charts',
    requiredTags: [...REQUIRED_TAGS],
    llmCrossRegionAgreement: config.llm.crossRegionAgreement !== undefined,
    peerNetworks: landingZoneNetworks(config),
    exceptions: config.policy.exceptions,
    ...(expiring && today !== undefined ? { today } : {}),
  };
}

/** The landing zone's hub and spoke VNet ids the environment declares (none on AWS). */
function landingZoneNetworks(config: EnvironmentConfig): string[] {
  const landingZone = config.azure?.landingZone;
  return [landingZone?.hubVirtualNetworkId, landingZone?.spokeVirtualNetworkId].filter((id): id is string => id !== undefined);
}

/** Every stack the environment defines, with its kind. */
export function environmentStacks(config: EnvironmentConfig): StackRef[] {
  const kinds: Array<Exclude<StackKind, 'tenant'>> = ['state', 'platform', 'addons', 'workloads'];
  return [
    ...kinds.map((kind) => ({ name: stackName(config.name, kind), kind })),
    ...config.tenants.map((tenant) => ({ name: stackName(config.name, 'tenant', tenant.id), kind: 'tenant' as const, tenantId: tenant.id })),
  ];
}

/** The stacks the environment synthesizes, with their kind, among those present in `synthesized`. */
export function policyStacks(config: EnvironmentConfig, synthesized: readonly string[]): StackRef[] {
  return environmentStacks(config).filter((ref) => synthesized.includes(ref.name));
}
