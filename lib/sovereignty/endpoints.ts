/**
 * VPC endpoint services a fully private EKS cluster needs (no NAT, no internet gateway). Per region,
 * because newer regions have lacked some services: a service listed in `unavailable` is left out and
 * the reason is kept next to it so the gap is visible in review.
 */

/** Gateway endpoints (route-table based, free). */
export const GATEWAY_ENDPOINT_SERVICES = ['s3'] as const;

/** Interface endpoints: image pulls, node bootstrap, logs, keys, pod identity, load balancers, SSM, secrets. */
export const INTERFACE_ENDPOINT_SERVICES = [
  'ecr.api',
  'ecr.dkr',
  'ec2',
  'sts',
  'eks',
  'eks-auth',
  'logs',
  'elasticloadbalancing',
  'kms',
  'ssm',
  'ssmmessages',
  'ec2messages',
  'sqs',
  'secretsmanager',
  'monitoring',
  'autoscaling',
] as const;

/** Interface endpoints created only when the environment uses the service (each costs per hour and zone). */
export const ON_DEMAND_ENDPOINT_SERVICES = [
  // LiteLLM calls Bedrock models of the cluster's region through it.
  'bedrock-runtime',
] as const;

export type OnDemandEndpointService = (typeof ON_DEMAND_ENDPOINT_SERVICES)[number];
export type InterfaceEndpointService = (typeof INTERFACE_ENDPOINT_SERVICES)[number] | OnDemandEndpointService;

interface RegionEndpointData {
  readonly unavailable: Readonly<Partial<Record<InterfaceEndpointService, string>>>;
  /**
   * The AWS account of the region's ECR registry that EKS add-on images come from
   * (`<account>.dkr.ecr.<region>.amazonaws.com`, EKS user guide "View Amazon container image registries for
   * Amazon EKS add-ons"): the ECR endpoint policies let the nodes pull from it.
   */
  readonly eksAddonRegistryAccount: string;
}

const ENDPOINT_DATA: Readonly<Record<string, RegionEndpointData>> = {
  'me-central-1': { unavailable: {}, eksAddonRegistryAccount: '759879836304' },
  'me-south-1': { unavailable: {}, eksAddonRegistryAccount: '558608220178' },
};

/** The account EKS add-on images are pulled from in `region`; undefined for a region without recorded data. */
export function eksAddonRegistryAccount(region: string): string | undefined {
  return ENDPOINT_DATA[region]?.eksAddonRegistryAccount;
}

/** The interface endpoints of `region`: the base set plus the on-demand services the environment uses. */
export function interfaceEndpointServices(region: string, onDemand: readonly OnDemandEndpointService[] = []): InterfaceEndpointService[] {
  return [...INTERFACE_ENDPOINT_SERVICES, ...onDemand].filter((service) => endpointUnavailableReason(region, service) === undefined);
}

/** Why `region` lacks the endpoint service (recorded data), or undefined when it is offered. */
export function endpointUnavailableReason(region: string, service: InterfaceEndpointService): string | undefined {
  return ENDPOINT_DATA[region]?.unavailable[service];
}
