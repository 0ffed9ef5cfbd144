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

export type InterfaceEndpointService = (typeof INTERFACE_ENDPOINT_SERVICES)[number];

interface RegionEndpointData {
  readonly unavailable: Readonly<Partial<Record<InterfaceEndpointService, string>>>;
}

const ENDPOINT_DATA: Readonly<Record<string, RegionEndpointData>> = {
  'me-central-1': { unavailable: {} },
  'me-south-1': { unavailable: {} },
};

export function interfaceEndpointServices(region: string): InterfaceEndpointService[] {
  const unavailable = ENDPOINT_DATA[region]?.unavailable ?? {};
  return INTERFACE_ENDPOINT_SERVICES.filter((service) => !(service in unavailable));
}
