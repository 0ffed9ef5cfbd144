import { Construct } from 'constructs';
import { ITerraformDependable } from 'cdktf';
import { EksCluster } from '@cdktf/provider-aws/lib/eks-cluster';
import { EksAccessEntry } from '@cdktf/provider-aws/lib/eks-access-entry';
import { EksAccessPolicyAssociation } from '@cdktf/provider-aws/lib/eks-access-policy-association';
import { EksAddon } from '@cdktf/provider-aws/lib/eks-addon';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { EksAddonName } from '../versions';
import { componentTags } from '../tags';
import { ServiceRole } from './iam';

/** Every control-plane log type: auditors ask for audit and authenticator in particular. */
export const CONTROL_PLANE_LOG_TYPES = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'];

const CLUSTER_ADMIN_POLICY = 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy';

/** Add-ons the nodes need before they can become Ready (the cluster does not bootstrap its own). */
const NODE_PREREQUISITE_ADDONS: readonly EksAddonName[] = ['vpc-cni', 'kube-proxy', 'eks-pod-identity-agent'];
/** Add-ons that run as Deployments and so need nodes first. */
const WORKLOAD_ADDONS: readonly EksAddonName[] = ['coredns', 'aws-ebs-csi-driver'];

/**
 * Add-on configuration (each add-on version publishes its JSON schema: `aws eks describe-addon-configuration`).
 * vpc-cni: without `enableNetworkPolicy` the network policy agent in aws-node stays off and every
 * NetworkPolicy is accepted by the API but ignored. The 1.20 add-on schema takes it as a top-level string.
 */
export const EKS_ADDON_CONFIGURATION: Readonly<Partial<Record<EksAddonName, Readonly<Record<string, unknown>>>>> = {
  'vpc-cni': { enableNetworkPolicy: 'true' },
};

export interface PrivateEksClusterProps {
  readonly name: string;
  readonly kubernetesVersion: string;
  readonly vpcId: string;
  readonly vpcCidr: string;
  readonly subnetIds: string[];
  readonly serviceCidr: string;
  readonly secretsKeyArn: string;
  readonly logsKeyArn: string;
  readonly ebsKeyArn: string;
  readonly logRetentionDays: number;
  readonly clusterAdminRoleArns: readonly string[];
  /** The role the deploy runner applies the Kubernetes stacks as: cluster-admin like the admins. */
  readonly deployRoleArn: string;
  /** The deploy runners' networks (hub, peered or via transit gateway): admitted on 443 besides the VPC. */
  readonly deployRunnerCidrs: readonly string[];
  readonly addonVersions: Readonly<Record<EksAddonName, string>>;
}

/**
 * An EKS cluster reachable only from inside the VPC: private endpoint only, API authentication with
 * access entries (no aws-auth ConfigMap), envelope encryption of Secrets with our CMK, every control-plane
 * log type into a CMK-encrypted log group, and managed add-ons at pinned versions.
 */
export class PrivateEksCluster extends Construct {
  readonly cluster: EksCluster;
  private readonly props: PrivateEksClusterProps;
  private readonly prerequisiteAddons: EksAddon[];

  constructor(scope: Construct, id: string, props: PrivateEksClusterProps) {
    super(scope, id);
    this.props = props;
    const role = new ServiceRole(this, 'cluster-role', {
      name: `${props.name}-cluster`,
      servicePrincipal: 'eks.amazonaws.com',
      managedPolicies: ['AmazonEKSClusterPolicy'],
      component: 'eks',
      tagSession: true,
    });
    const kmsPolicy = new IamRolePolicy(this, 'cluster-role-kms', {
      role: role.role.id,
      name: 'envelope-encryption',
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ListGrants', 'kms:DescribeKey'], Resource: props.secretsKeyArn }],
      }),
    });
    // EKS writes to this exact name; creating it first lets us set the key and the retention.
    const logGroup = new CloudwatchLogGroup(this, 'control-plane-logs', {
      name: `/aws/eks/${props.name}/cluster`,
      retentionInDays: props.logRetentionDays,
      kmsKeyId: props.logsKeyArn,
      tags: componentTags('eks'),
    });
    const apiSg = new SecurityGroup(this, 'api-sg', {
      name: `${props.name}-api`,
      description: 'Kubernetes API from inside the VPC only (deploy runners sit in the network)',
      vpcId: props.vpcId,
      ingress: [
        { description: 'Kubernetes API from the VPC', protocol: 'tcp', fromPort: 443, toPort: 443, cidrBlocks: [props.vpcCidr] },
        { description: 'Kubernetes API from the deploy runners', protocol: 'tcp', fromPort: 443, toPort: 443, cidrBlocks: [...props.deployRunnerCidrs] },
      ],
      egress: [],
      tags: componentTags('eks', `${props.name}-api`),
    });
    this.cluster = new EksCluster(this, 'cluster', {
      name: props.name,
      version: props.kubernetesVersion,
      roleArn: role.arn,
      vpcConfig: {
        subnetIds: props.subnetIds,
        securityGroupIds: [apiSg.id],
        endpointPrivateAccess: true,
        endpointPublicAccess: false,
      },
      accessConfig: { authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: false },
      encryptionConfig: { resources: ['secrets'], provider: { keyArn: props.secretsKeyArn } },
      enabledClusterLogTypes: CONTROL_PLANE_LOG_TYPES,
      kubernetesNetworkConfig: { serviceIpv4Cidr: props.serviceCidr, ipFamily: 'ipv4' },
      // Managed add-ons below own vpc-cni, kube-proxy and coredns at pinned versions.
      bootstrapSelfManagedAddons: false,
      upgradePolicy: { supportType: 'STANDARD' },
      tags: componentTags('eks', props.name),
      dependsOn: [logGroup, kmsPolicy, ...role.attachments],
    });
    props.clusterAdminRoleArns.forEach((principalArn, index) => this.clusterAdmin(`admin-${index}`, principalArn));
    // bootstrapClusterCreatorAdminPermissions is off, so the runner's role needs its own entry to apply the
    // Kubernetes stacks (the kubernetes/helm providers authenticate as it through `aws eks get-token`).
    this.clusterAdmin('deploy', props.deployRoleArn);
    this.prerequisiteAddons = NODE_PREREQUISITE_ADDONS.map((name) => this.addon(name, []));
  }

  /** An access entry with AmazonEKSClusterAdminPolicy on the whole cluster. */
  private clusterAdmin(id: string, principalArn: string): void {
    const entry = new EksAccessEntry(this, id, { clusterName: this.cluster.name, principalArn, type: 'STANDARD', tags: componentTags('eks') });
    new EksAccessPolicyAssociation(this, `${id}-policy`, {
      clusterName: this.cluster.name,
      principalArn,
      policyArn: CLUSTER_ADMIN_POLICY,
      accessScope: { type: 'cluster' },
      dependsOn: [entry],
    });
  }

  /** Node groups depend on these: without the CNI and kube-proxy, nodes never become Ready. */
  get nodePrerequisites(): ITerraformDependable[] {
    return this.prerequisiteAddons;
  }

  /** Adds coredns and the EBS CSI driver (with its Pod Identity role) once node groups exist. */
  addWorkloadAddons(nodeGroups: ITerraformDependable[]): void {
    for (const name of WORKLOAD_ADDONS) {
      this.addon(name, nodeGroups);
    }
  }

  private addon(name: EksAddonName, dependsOn: ITerraformDependable[]): EksAddon {
    const podIdentityAssociation = name === 'aws-ebs-csi-driver' ? [{ roleArn: this.ebsCsiRole().arn, serviceAccount: 'ebs-csi-controller-sa' }] : undefined;
    const configuration = EKS_ADDON_CONFIGURATION[name];
    return new EksAddon(this, `addon-${name}`, {
      clusterName: this.cluster.name,
      addonName: name,
      addonVersion: this.props.addonVersions[name],
      resolveConflictsOnCreate: 'OVERWRITE',
      resolveConflictsOnUpdate: 'OVERWRITE',
      podIdentityAssociation,
      configurationValues: configuration ? JSON.stringify(configuration) : undefined,
      tags: componentTags('eks'),
      dependsOn,
    });
  }

  private ebsCsiRole(): ServiceRole {
    const role = new ServiceRole(this, 'ebs-csi-role', {
      name: `${this.props.name}-ebs-csi`,
      servicePrincipal: 'pods.eks.amazonaws.com',
      managedPolicies: ['service-role/AmazonEBSCSIDriverPolicy'],
      component: 'eks',
      tagSession: true,
    });
    // Encrypted volumes need the driver to use (and grant) the EBS key.
    new IamRolePolicy(this, 'ebs-csi-kms', {
      role: role.role.id,
      name: 'ebs-cmk',
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'], Resource: this.props.ebsKeyArn },
          { Effect: 'Allow', Action: 'kms:CreateGrant', Resource: this.props.ebsKeyArn, Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } } },
        ],
      }),
    });
    return role;
  }
}
