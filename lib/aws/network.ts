import { Construct } from 'constructs';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { DefaultSecurityGroup } from '@cdktf/provider-aws/lib/default-security-group';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { FlowLog } from '@cdktf/provider-aws/lib/flow-log';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { formatCidr, parseCidr, subnet } from '../config/cidr';
import { componentTags } from '../tags';
import { EndpointPolicyContext, endpointPolicy } from './endpoint-policies';

export interface PrivateNetworkProps {
  readonly environment: string;
  readonly region: string;
  readonly cidr: string;
  /** Zone names from the region catalog; one node subnet and one endpoint subnet per zone. */
  readonly zones: readonly string[];
  readonly gatewayEndpointServices: readonly string[];
  readonly interfaceEndpointServices: readonly string[];
  readonly logsKeyArn: string;
  readonly logRetentionDays: number;
  /** Account, region and pull registries the endpoint policies are written for (lib/aws/endpoint-policies.ts). */
  readonly endpointPolicy: EndpointPolicyContext;
}

/** Node subnets take the first quarters of the range; endpoint subnets a small slice of the last quarter. */
export function planSubnets(cidr: string, zoneCount: number): { nodes: string[]; endpoints: string[] } {
  const network = parseCidr(cidr)!;
  const lastQuarter = subnet(network, network.prefix + 2, 3);
  const zones = Array.from({ length: zoneCount }, (_, index) => index);
  return {
    nodes: zones.map((index) => formatCidr(subnet(network, network.prefix + 2, index))),
    endpoints: zones.map((index) => formatCidr(subnet(lastQuarter, network.prefix + 6, index))),
  };
}

/**
 * A VPC with private subnets only and no path to the internet: no internet gateway, no NAT. Everything
 * the cluster needs from AWS is reached through VPC endpoints in the region, each with a policy that keeps
 * it to this account's principals (and, for the data-bearing services, resources), and VPC flow logs go to
 * a CMK-encrypted log group.
 */
export class PrivateNetwork extends Construct {
  readonly vpc: Vpc;
  readonly nodeSubnets: Subnet[];
  readonly endpointSubnets: Subnet[];
  /** The S3 gateway endpoint: the platform bucket admits data access through it only. */
  readonly s3Endpoint?: VpcEndpoint;

  constructor(scope: Construct, id: string, props: PrivateNetworkProps) {
    super(scope, id);
    const plan = planSubnets(props.cidr, props.zones.length);
    this.vpc = new Vpc(this, 'vpc', {
      cidrBlock: props.cidr,
      enableDnsHostnames: true,
      enableDnsSupport: true,
      tags: componentTags('network', props.environment),
    });
    // Strip the default security group of every rule so nothing can use it by accident.
    new DefaultSecurityGroup(this, 'default-sg', { vpcId: this.vpc.id, tags: componentTags('network', `${props.environment}-default-deny`) });

    const routeTables = props.zones.map(
      (zone) => new RouteTable(this, `private-rt-${zone}`, { vpcId: this.vpc.id, tags: componentTags('network', `${props.environment}-private-${zone}`) }),
    );
    const makeSubnets = (role: 'nodes' | 'endpoints', cidrs: string[]) =>
      props.zones.map((zone, index) => {
        const created = new Subnet(this, `${role}-${zone}`, {
          vpcId: this.vpc.id,
          cidrBlock: cidrs[index],
          availabilityZone: zone,
          mapPublicIpOnLaunch: false,
          tags: {
            ...componentTags('network', `${props.environment}-${role}-${zone}`),
            // Lets the AWS Load Balancer Controller place internal load balancers here.
            ...(role === 'nodes' ? { 'kubernetes.io/role/internal-elb': '1' } : {}),
          },
        });
        new RouteTableAssociation(this, `${role}-${zone}-rt`, { subnetId: created.id, routeTableId: routeTables[index].id });
        return created;
      });
    this.nodeSubnets = makeSubnets('nodes', plan.nodes);
    this.endpointSubnets = makeSubnets('endpoints', plan.endpoints);

    const endpointSg = new SecurityGroup(this, 'endpoints-sg', {
      name: `${props.environment}-vpc-endpoints`,
      description: 'HTTPS from inside the VPC to the AWS service endpoints',
      vpcId: this.vpc.id,
      ingress: [{ description: 'HTTPS from the VPC', protocol: 'tcp', fromPort: 443, toPort: 443, cidrBlocks: [props.cidr] }],
      egress: [],
      tags: componentTags('network', `${props.environment}-vpc-endpoints`),
    });
    for (const service of props.gatewayEndpointServices) {
      const endpoint = new VpcEndpoint(this, `gateway-${service}`, {
        vpcId: this.vpc.id,
        serviceName: `com.amazonaws.${props.region}.${service}`,
        vpcEndpointType: 'Gateway',
        routeTableIds: routeTables.map((table) => table.id),
        policy: JSON.stringify(endpointPolicy(service, props.endpointPolicy)),
        tags: componentTags('network', `${props.environment}-${service}`),
      });
      if (service === 's3') {
        this.s3Endpoint = endpoint;
      }
    }
    for (const service of props.interfaceEndpointServices) {
      new VpcEndpoint(this, `interface-${service}`, {
        vpcId: this.vpc.id,
        serviceName: `com.amazonaws.${props.region}.${service}`,
        vpcEndpointType: 'Interface',
        privateDnsEnabled: true,
        subnetIds: this.endpointSubnets.map((created) => created.id),
        securityGroupIds: [endpointSg.id],
        policy: JSON.stringify(endpointPolicy(service, props.endpointPolicy)),
        tags: componentTags('network', `${props.environment}-${service}`),
      });
    }
    this.addFlowLogs(props);
  }

  private addFlowLogs(props: PrivateNetworkProps): void {
    const logGroup = new CloudwatchLogGroup(this, 'flow-logs', {
      name: `/aws/vpc/${props.environment}/flow-logs`,
      retentionInDays: props.logRetentionDays,
      kmsKeyId: props.logsKeyArn,
      tags: componentTags('network'),
    });
    const role = new IamRole(this, 'flow-logs-role', {
      name: `${props.environment}-vpc-flow-logs`,
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'vpc-flow-logs.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      }),
      tags: componentTags('network'),
    });
    new IamRolePolicy(this, 'flow-logs-policy', {
      role: role.id,
      name: 'write-flow-logs',
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
            Resource: `${logGroup.arn}:*`,
          },
        ],
      }),
    });
    new FlowLog(this, 'flow-log', {
      vpcId: this.vpc.id,
      trafficType: 'ALL',
      logDestinationType: 'cloud-watch-logs',
      logDestination: logGroup.arn,
      iamRoleArn: role.arn,
      tags: componentTags('network'),
    });
  }
}
