import { Cloud } from './regions';

/**
 * GPU catalog: which instance sizes carry which GPU family on each cloud, and whether a region offers
 * them. Availability is what public material said in Nov 2026; `unknown` means nobody published it, and
 * the config loader makes the environment owner confirm it rather than guessing.
 */

export type GpuFamily = 'L4' | 'T4' | 'A10';
export const GPU_FAMILIES: readonly GpuFamily[] = ['L4', 'T4', 'A10'];

export type Availability = 'offered' | 'not-offered' | 'unknown';

export interface GpuSize {
  readonly name: string;
  readonly gpus: number;
}

export interface GpuOffer {
  readonly cloud: Cloud;
  readonly family: GpuFamily;
  /** The instance family as the cloud names it, for messages (`g6`, `NCasT4_v3`). */
  readonly series: string;
  readonly sizes: readonly GpuSize[];
  readonly availability: Readonly<Record<string, Availability>>;
}

const one = (...names: string[]): GpuSize[] => names.map((name) => ({ name, gpus: 1 }));

export const GPU_OFFERS: readonly GpuOffer[] = [
  {
    cloud: 'aws',
    family: 'L4',
    series: 'g6/gr6',
    sizes: [
      ...one('g6.xlarge', 'g6.2xlarge', 'g6.4xlarge', 'g6.8xlarge', 'g6.16xlarge', 'gr6.4xlarge', 'gr6.8xlarge'),
      { name: 'g6.12xlarge', gpus: 4 },
      { name: 'g6.24xlarge', gpus: 4 },
      { name: 'g6.48xlarge', gpus: 8 },
    ],
    availability: { 'me-central-1': 'offered', 'me-south-1': 'unknown' },
  },
  {
    cloud: 'aws',
    family: 'T4',
    series: 'g4dn',
    sizes: [
      ...one('g4dn.xlarge', 'g4dn.2xlarge', 'g4dn.4xlarge', 'g4dn.8xlarge', 'g4dn.16xlarge'),
      { name: 'g4dn.12xlarge', gpus: 4 },
    ],
    availability: { 'me-central-1': 'unknown', 'me-south-1': 'unknown' },
  },
  {
    cloud: 'aws',
    family: 'A10',
    series: 'g5',
    sizes: [
      ...one('g5.xlarge', 'g5.2xlarge', 'g5.4xlarge', 'g5.8xlarge', 'g5.16xlarge'),
      { name: 'g5.12xlarge', gpus: 4 },
      { name: 'g5.24xlarge', gpus: 4 },
      { name: 'g5.48xlarge', gpus: 8 },
    ],
    availability: { 'me-central-1': 'not-offered', 'me-south-1': 'not-offered' },
  },
  {
    cloud: 'azure',
    family: 'T4',
    series: 'NCasT4_v3',
    sizes: [...one('Standard_NC4as_T4_v3', 'Standard_NC8as_T4_v3', 'Standard_NC16as_T4_v3'), { name: 'Standard_NC64as_T4_v3', gpus: 4 }],
    availability: { uaenorth: 'unknown', uaecentral: 'unknown', qatarcentral: 'unknown' },
  },
  {
    cloud: 'azure',
    family: 'A10',
    // Smaller NVads A10 sizes are fractional GRID partitions, which TEI cannot use as a whole GPU.
    series: 'NVadsA10_v5',
    sizes: [{ name: 'Standard_NV36ads_A10_v5', gpus: 1 }, { name: 'Standard_NV72ads_A10_v5', gpus: 2 }],
    availability: { uaenorth: 'unknown', uaecentral: 'unknown', qatarcentral: 'unknown' },
  },
];

export function findGpuOffer(cloud: Cloud, family: GpuFamily): GpuOffer | undefined {
  return GPU_OFFERS.find((offer) => offer.cloud === cloud && offer.family === family);
}

export function gpuFamiliesOf(cloud: Cloud): GpuFamily[] {
  return GPU_OFFERS.filter((offer) => offer.cloud === cloud).map((offer) => offer.family);
}

export function regionAvailability(offer: GpuOffer, region: string): Availability {
  return offer.availability[region] ?? 'unknown';
}

/** Cluster taint and labels every GPU pool carries, on every cloud, so workloads schedule identically. */
export const GPU_TAINT = { key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' } as const;
export const GPU_FAMILY_LABEL = 'node.kubernetes.io/gpu-family';
/** The NVIDIA device plugin only schedules on nodes with this label (unless GPU feature discovery runs). */
export const GPU_PRESENT_LABEL = 'nvidia.com/gpu.present';
