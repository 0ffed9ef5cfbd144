import { Cloud, CLOUDS, Country, findRegion, regionsOf } from './regions';

/**
 * A sovereignty profile names the regions an environment may use. Regions in `regions` are always
 * allowed; regions in `regionsWithAgreement` only when the environment declares a data-sharing agreement
 * that covers the region's country. Anything else is a configuration error, never a warning.
 */
export interface SovereigntyProfile {
  readonly id: string;
  readonly description: string;
  /** Clouds this profile may run on (a sovereign cloud operator may be one cloud only). */
  readonly clouds: readonly Cloud[];
  readonly regions: Readonly<Record<Cloud, readonly string[]>>;
  readonly regionsWithAgreement: Readonly<Record<Cloud, readonly string[]>>;
}

const COUNTRY_NAMES: Readonly<Record<Country, string>> = { AE: 'the United Arab Emirates', BH: 'Bahrain', QA: 'Qatar' };
const HOME_PROFILE_IDS: Readonly<Record<Country, string>> = { AE: 'uae', BH: 'bahrain', QA: 'qatar' };

/**
 * A home-country profile, for an organisation regulated in `country`: the country's own regions need no
 * agreement; a region of another Gulf country in the catalog (a model, a replica, the cluster itself)
 * needs a data-sharing agreement covering that country. Both clouds, so an environment on a cloud with no
 * region at home still validates, with an agreement.
 */
function homeCountryProfile(country: Country): SovereigntyProfile {
  const regions = (cloud: Cloud, home: boolean) => regionsOf(cloud).filter((region) => (region.country === country) === home).map((region) => region.name);
  return {
    id: HOME_PROFILE_IDS[country],
    description: `Home country ${COUNTRY_NAMES[country]}: its own regions; another Gulf country's only under a declared data-sharing agreement.`,
    clouds: CLOUDS,
    regions: { aws: regions('aws', true), azure: regions('azure', true) },
    regionsWithAgreement: { aws: regions('aws', false), azure: regions('azure', false) },
  };
}

/** Countries with at least one region in the catalog, in catalog order (no Saudi region is listed yet). */
const CATALOG_COUNTRIES: readonly Country[] = [...new Set(CLOUDS.flatMap((cloud) => regionsOf(cloud).map((region) => region.country)))];

export const SOVEREIGNTY_PROFILES: readonly SovereigntyProfile[] = [
  {
    id: 'uae-only',
    description: 'Data stays in the United Arab Emirates.',
    clouds: ['aws', 'azure'],
    regions: { aws: ['me-central-1'], azure: ['uaenorth', 'uaecentral'] },
    regionsWithAgreement: { aws: [], azure: [] },
  },
  {
    id: 'gcc',
    description: 'UAE by default; Bahrain and Qatar only under a declared data-sharing agreement.',
    clouds: ['aws', 'azure'],
    regions: { aws: ['me-central-1'], azure: ['uaenorth', 'uaecentral'] },
    regionsWithAgreement: { aws: ['me-south-1'], azure: ['qatarcentral'] },
  },
  {
    // Core42's sovereign cloud runs on Azure in the UAE regions; its control plane is public Azure's.
    id: 'core42-uae',
    description: 'Core42 sovereign public cloud: Azure in the UAE regions only.',
    clouds: ['azure'],
    regions: { aws: [], azure: ['uaenorth', 'uaecentral'] },
    regionsWithAgreement: { aws: [], azure: [] },
  },
  ...CATALOG_COUNTRIES.map(homeCountryProfile),
];

export const PROFILE_IDS = SOVEREIGNTY_PROFILES.map((profile) => profile.id);

export function findProfile(id: string): SovereigntyProfile | undefined {
  return SOVEREIGNTY_PROFILES.find((profile) => profile.id === id);
}

export interface DataSharingAgreementRef {
  readonly countries: readonly Country[];
}

/**
 * The regions an environment may use under `profile` given its declared agreements, in catalog order.
 * The policy gate receives this list as data, so the Rego and the config agree by construction.
 */
export function permittedRegions(
  profile: SovereigntyProfile,
  cloud: Cloud,
  agreements: readonly DataSharingAgreementRef[],
): string[] {
  if (!profile.clouds.includes(cloud)) {
    return [];
  }
  const covered = new Set(agreements.flatMap((agreement) => agreement.countries));
  const conditional = profile.regionsWithAgreement[cloud].filter((name) => {
    const region = findRegion(cloud, name);
    return region !== undefined && covered.has(region.country);
  });
  return [...profile.regions[cloud], ...conditional];
}
