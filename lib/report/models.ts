import { EnvironmentConfig } from '../config/schema';
import { findProfile, permittedRegions } from '../sovereignty/profiles';
import { Cloud, findRegion } from '../sovereignty/regions';

export interface ModelEvidence {
  readonly purpose: 'embedding' | 'generation';
  /** The alias callers use (generation) or the TEI release (embedding). */
  readonly name: string;
  readonly provider: string;
  readonly model: string;
  readonly region: string;
  /** True when the region is one of the profile's own regions (no agreement needed). */
  readonly inHomeRegions: boolean;
  /** 1 = primary; 2.. = the position in a fallback chain. */
  readonly fallbackOrder: number;
  /** `chain` members in order, for a model that starts a fallback chain. */
  readonly fallbacks: readonly string[];
  /** Reference of the agreement that permits the model outside the home regions (null inside them). */
  readonly agreement: string | null;
}

export interface AgreementEvidence {
  readonly kind: 'data-sharing' | 'cross-region-llm';
  readonly id: string;
  readonly scope: string;
  readonly reference: string;
}

const PROVIDER_CLOUD: Record<string, Cloud> = { 'azure-openai': 'azure', bedrock: 'aws' };

/** Every agreement the environment declares, with where an auditor finds it. */
export function agreementsOf(config: EnvironmentConfig): AgreementEvidence[] {
  return [
    ...config.sovereignty.dataSharingAgreements.map((agreement) => ({ kind: 'data-sharing' as const, id: agreement.id, scope: `countries ${agreement.countries.join(', ')}`, reference: agreement.reference })),
    ...(config.llm.crossRegionAgreement
      ? [{ kind: 'cross-region-llm' as const, id: 'llm.crossRegionAgreement', scope: `LLM regions ${config.llm.crossRegionAgreement.regions.join(', ')}`, reference: config.llm.crossRegionAgreement.reference }]
      : []),
  ];
}

/** The agreement that admits `region` on `cloud`, if the profile's own regions do not. */
function agreementFor(config: EnvironmentConfig, cloud: Cloud, region: string): string | null {
  const country = findRegion(cloud, region)?.country;
  const sharing = config.sovereignty.dataSharingAgreements.find((agreement) => country !== undefined && agreement.countries.includes(country));
  if (sharing) return `${sharing.id}: ${sharing.reference}`;
  const crossRegion = config.llm.crossRegionAgreement;
  return crossRegion && crossRegion.regions.includes(region) ? `llm.crossRegionAgreement: ${crossRegion.reference}` : null;
}

/** Embedding and generation models: where each runs, its place in the fallback chain, its agreement. */
export function modelsOf(config: EnvironmentConfig): ModelEvidence[] {
  const profile = findProfile(config.sovereignty.profile);
  const home = (cloud: Cloud, region: string): boolean => (profile ? permittedRegions(profile, cloud, []).includes(region) : false);
  const order = (name: string): number => {
    const positions = config.llm.fallbacks.flatMap((chain) => chain.to.map((target, index) => (target === name ? index + 2 : undefined))).filter((position): position is number => position !== undefined);
    return positions.length > 0 ? Math.min(...positions) : 1;
  };
  const embedding: ModelEvidence = {
    purpose: 'embedding',
    name: 'tei',
    provider: 'self-hosted TEI on the cluster GPU pool',
    model: `${config.components.tei.modelId}@${config.components.tei.revision}`,
    region: config.region,
    inHomeRegions: home(config.cloud, config.region),
    fallbackOrder: 1,
    fallbacks: [],
    agreement: home(config.cloud, config.region) ? null : agreementFor(config, config.cloud, config.region),
  };
  const generation = config.llm.models.map((model): ModelEvidence => {
    const cloud = PROVIDER_CLOUD[model.provider];
    const inHome = home(cloud, model.region);
    return {
      purpose: 'generation',
      name: model.name,
      provider: model.provider,
      model: model.model,
      region: model.region,
      inHomeRegions: inHome,
      fallbackOrder: order(model.name),
      fallbacks: config.llm.fallbacks.find((chain) => chain.model === model.name)?.to ?? [],
      agreement: inHome ? null : agreementFor(config, cloud, model.region),
    };
  });
  return [embedding, ...generation];
}
