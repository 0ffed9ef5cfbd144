/**
 * Region catalog: which regions each cloud has in the Gulf, which country they sit in, and their zones.
 * Zones are data, never hard-coded in constructs: UAE Central has none, and a construct that assumed
 * three would fail at apply.
 */

export type Cloud = 'aws' | 'azure';
export const CLOUDS: readonly Cloud[] = ['aws', 'azure'];

/** ISO 3166-1 alpha-2 codes of the countries our regions are in. */
export type Country = 'AE' | 'BH' | 'QA';

export interface RegionInfo {
  readonly cloud: Cloud;
  readonly name: string;
  readonly displayName: string;
  readonly country: Country;
  /** Zone names as the cloud's API spells them (AWS: `me-central-1a`; Azure: `1`). Empty: no zones. */
  readonly zones: readonly string[];
  /**
   * Azure only: whether AKS offers API server VNet integration in the region. Our clusters need it: KMS
   * etcd encryption with a private (network-restricted) vault is only supported with it.
   */
  readonly apiServerVnetIntegration?: boolean;
  /** Azure only: Microsoft enables the region per subscription on request (restricted access). */
  readonly restrictedAccess?: boolean;
}

const REGIONS: readonly RegionInfo[] = [
  { cloud: 'aws', name: 'me-central-1', displayName: 'Middle East (UAE)', country: 'AE', zones: ['me-central-1a', 'me-central-1b', 'me-central-1c'] },
  { cloud: 'aws', name: 'me-south-1', displayName: 'Middle East (Bahrain)', country: 'BH', zones: ['me-south-1a', 'me-south-1b', 'me-south-1c'] },
  { cloud: 'azure', name: 'uaenorth', displayName: 'UAE North (Dubai)', country: 'AE', zones: ['1', '2', '3'], apiServerVnetIntegration: true },
  // Restricted-access region with no availability zones; paired with UAE North. A subscription must be
  // enabled for it by Microsoft (support request) before anything can be deployed there.
  { cloud: 'azure', name: 'uaecentral', displayName: 'UAE Central (Abu Dhabi)', country: 'AE', zones: [], apiServerVnetIntegration: true, restrictedAccess: true },
  // API server VNet integration is not offered in Qatar Central (AKS regional availability, Dec 2026).
  { cloud: 'azure', name: 'qatarcentral', displayName: 'Qatar Central (Doha)', country: 'QA', zones: ['1', '2', '3'], apiServerVnetIntegration: false },
];

export function regionsOf(cloud: Cloud): readonly RegionInfo[] {
  return REGIONS.filter((region) => region.cloud === cloud);
}

export function findRegion(cloud: Cloud, name: string): RegionInfo | undefined {
  return REGIONS.find((region) => region.cloud === cloud && region.name === name);
}

/** For code that runs after validation: a missing region here is a programming error. */
export function getRegion(cloud: Cloud, name: string): RegionInfo {
  const region = findRegion(cloud, name);
  if (!region) {
    throw new Error(`region ${name} is not in the ${cloud} catalog`);
  }
  return region;
}
