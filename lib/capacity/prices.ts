import { Cloud } from '../sovereignty/regions';

/**
 * Reviewed price data for the capacity planner: on-demand, Linux, per hour, USD. One book per cloud
 * region the catalog knows. Every number says where it came from; `estimate: true` means nobody has
 * checked it against the cloud's price list for that region yet (this repository is built without
 * network access to the price APIs). Re-review before a budget is signed, and bump `reviewed`.
 *
 * How the estimates were made: the provider's list price in its reference region (AWS us-east-1, Azure
 * East US, as published in 2026) times a regional uplift. Gulf regions are priced above the reference
 * regions; the uplift is our assumption and is stated per book so a reviewer can replace it with the
 * real regional price in one place.
 */

export interface InstanceShape {
  readonly vcpu: number;
  readonly memoryGiB: number;
  /** GPUs of the instance (whole GPUs). */
  readonly gpus: number;
}

export interface InstancePrice extends InstanceShape {
  /** List price in the reference region, USD per hour. */
  readonly referenceUsdPerHour: number;
}

export interface PriceBook {
  readonly cloud: Cloud;
  readonly region: string;
  /** Date the book was last reviewed (ISO date). */
  readonly reviewed: string;
  readonly source: string;
  /** True while the regional prices are derived, not read from the region's price list. */
  readonly estimate: boolean;
  /** Multiplier from the reference region's list price to this region's price. */
  readonly regionalUplift: number;
  readonly instances: Readonly<Record<string, InstancePrice>>;
  /** Managed Kubernetes control plane, USD per hour (EKS standard support / AKS Standard tier). */
  readonly controlPlaneUsdPerHour: number;
  /** Block storage the StorageClass provisions, USD per GiB-month (gp3 / Premium SSD ZRS). */
  readonly volumeUsdPerGiBMonth: number;
  /** One private endpoint (AWS interface endpoint per zone / Azure private endpoint), USD per hour. */
  readonly privateEndpointUsdPerHour: number;
  /** Log ingestion (CloudWatch Logs / Log Analytics), USD per GB. */
  readonly logIngestUsdPerGB: number;
  /** One customer-managed key, USD per month. */
  readonly keyUsdPerMonth: number;
  /** Provider support plan as a share of the monthly bill (AWS Business / Azure Standard support). */
  readonly supportShare: number;
}

/** AED is pegged to the US dollar: 1 USD = 3.6725 AED (Central Bank of the UAE). */
export const AED_PER_USD = 3.6725;
/** EUR is not pegged; this rate is the ECB reference rate we reviewed on the date below. */
export const EUR_PER_USD = { rate: 0.86, reviewed: '2026-11-30', source: 'ECB euro reference rate (rounded)' } as const;

export const CURRENCIES = ['AED', 'USD', 'EUR'] as const;
export type Currency = (typeof CURRENCIES)[number];

export function usdTo(currency: Currency, usd: number): number {
  if (currency === 'AED') return usd * AED_PER_USD;
  if (currency === 'EUR') return usd * EUR_PER_USD.rate;
  return usd;
}

const AWS_INSTANCES: Record<string, InstancePrice> = {
  'm7i.large': { vcpu: 2, memoryGiB: 8, gpus: 0, referenceUsdPerHour: 0.1008 },
  'm7i.xlarge': { vcpu: 4, memoryGiB: 16, gpus: 0, referenceUsdPerHour: 0.2016 },
  'm7i.2xlarge': { vcpu: 8, memoryGiB: 32, gpus: 0, referenceUsdPerHour: 0.4032 },
  'm7i.4xlarge': { vcpu: 16, memoryGiB: 64, gpus: 0, referenceUsdPerHour: 0.8064 },
  'r6i.xlarge': { vcpu: 4, memoryGiB: 32, gpus: 0, referenceUsdPerHour: 0.252 },
  'r6i.2xlarge': { vcpu: 8, memoryGiB: 64, gpus: 0, referenceUsdPerHour: 0.504 },
  'r6i.4xlarge': { vcpu: 16, memoryGiB: 128, gpus: 0, referenceUsdPerHour: 1.008 },
  'r6i.8xlarge': { vcpu: 32, memoryGiB: 256, gpus: 0, referenceUsdPerHour: 2.016 },
  'g6.xlarge': { vcpu: 4, memoryGiB: 16, gpus: 1, referenceUsdPerHour: 0.8048 },
  'g6.2xlarge': { vcpu: 8, memoryGiB: 32, gpus: 1, referenceUsdPerHour: 0.9776 },
  'g6.4xlarge': { vcpu: 16, memoryGiB: 64, gpus: 1, referenceUsdPerHour: 1.3232 },
  'g4dn.xlarge': { vcpu: 4, memoryGiB: 16, gpus: 1, referenceUsdPerHour: 0.526 },
  'g4dn.2xlarge': { vcpu: 8, memoryGiB: 32, gpus: 1, referenceUsdPerHour: 0.752 },
  'g5.xlarge': { vcpu: 4, memoryGiB: 16, gpus: 1, referenceUsdPerHour: 1.006 },
  'g5.2xlarge': { vcpu: 8, memoryGiB: 32, gpus: 1, referenceUsdPerHour: 1.212 },
};

const AZURE_INSTANCES: Record<string, InstancePrice> = {
  Standard_D4s_v5: { vcpu: 4, memoryGiB: 16, gpus: 0, referenceUsdPerHour: 0.192 },
  Standard_D4ds_v5: { vcpu: 4, memoryGiB: 16, gpus: 0, referenceUsdPerHour: 0.226 },
  Standard_D8ds_v5: { vcpu: 8, memoryGiB: 32, gpus: 0, referenceUsdPerHour: 0.452 },
  Standard_D16ds_v5: { vcpu: 16, memoryGiB: 64, gpus: 0, referenceUsdPerHour: 0.904 },
  Standard_D8s_v5: { vcpu: 8, memoryGiB: 32, gpus: 0, referenceUsdPerHour: 0.384 },
  Standard_D16s_v5: { vcpu: 16, memoryGiB: 64, gpus: 0, referenceUsdPerHour: 0.768 },
  Standard_E4s_v5: { vcpu: 4, memoryGiB: 32, gpus: 0, referenceUsdPerHour: 0.252 },
  Standard_E8s_v5: { vcpu: 8, memoryGiB: 64, gpus: 0, referenceUsdPerHour: 0.504 },
  Standard_E16s_v5: { vcpu: 16, memoryGiB: 128, gpus: 0, referenceUsdPerHour: 1.008 },
  Standard_E32s_v5: { vcpu: 32, memoryGiB: 256, gpus: 0, referenceUsdPerHour: 2.016 },
  Standard_NC4as_T4_v3: { vcpu: 4, memoryGiB: 28, gpus: 1, referenceUsdPerHour: 0.526 },
  Standard_NC8as_T4_v3: { vcpu: 8, memoryGiB: 56, gpus: 1, referenceUsdPerHour: 0.752 },
  Standard_NC16as_T4_v3: { vcpu: 16, memoryGiB: 110, gpus: 1, referenceUsdPerHour: 1.204 },
  Standard_NV36ads_A10_v5: { vcpu: 36, memoryGiB: 440, gpus: 1, referenceUsdPerHour: 3.2 },
};

const AWS_COMMON = {
  cloud: 'aws' as const,
  reviewed: '2026-12-02',
  source: 'AWS EC2/EKS/EBS/VPC/CloudWatch/KMS on-demand list prices for us-east-1 (Linux), times the regional uplift',
  estimate: true,
  instances: AWS_INSTANCES,
  controlPlaneUsdPerHour: 0.1,
  volumeUsdPerGiBMonth: 0.08,
  privateEndpointUsdPerHour: 0.01,
  logIngestUsdPerGB: 0.5,
  keyUsdPerMonth: 1,
  supportShare: 0.1,
};

const AZURE_COMMON = {
  cloud: 'azure' as const,
  reviewed: '2026-12-02',
  source: 'Azure VM/AKS/Managed Disks/Private Link/Log Analytics/Key Vault pay-as-you-go list prices for East US (Linux), times the regional uplift',
  estimate: true,
  instances: AZURE_INSTANCES,
  controlPlaneUsdPerHour: 0.1,
  volumeUsdPerGiBMonth: 0.15,
  privateEndpointUsdPerHour: 0.01,
  logIngestUsdPerGB: 2.3,
  keyUsdPerMonth: 5,
  supportShare: 0.1,
};

export const PRICE_BOOKS: readonly PriceBook[] = [
  { ...AWS_COMMON, region: 'me-central-1', regionalUplift: 1.25 },
  { ...AWS_COMMON, region: 'me-south-1', regionalUplift: 1.2 },
  { ...AZURE_COMMON, region: 'uaenorth', regionalUplift: 1.25 },
  { ...AZURE_COMMON, region: 'uaecentral', regionalUplift: 1.35 },
  { ...AZURE_COMMON, region: 'qatarcentral', regionalUplift: 1.25 },
];

export function findPriceBook(cloud: Cloud, region: string): PriceBook | undefined {
  return PRICE_BOOKS.find((book) => book.cloud === cloud && book.region === region);
}

/** Regional price of an instance, USD per hour; undefined when the book does not list it. */
export function instanceUsdPerHour(book: PriceBook, instanceType: string): number | undefined {
  const price = book.instances[instanceType];
  return price === undefined ? undefined : price.referenceUsdPerHour * book.regionalUplift;
}
