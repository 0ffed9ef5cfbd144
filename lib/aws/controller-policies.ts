/**
 * IAM statements of the in-cluster controllers EKS needs (ClusterInfo.addOns), granted through Pod Identity
 * by EksClusterInfo.bindWorkloadIdentity for a request's `cloudControl` role. Kept as reviewed data: a
 * version bump of a controller re-reads the upstream policy and diffs it against this file.
 */

export interface IamStatement {
  readonly Effect: 'Allow';
  readonly Action: readonly string[];
  readonly Resource: string | readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

/**
 * cluster-autoscaler 1.34 ("Full Cluster Autoscaler Features Policy" of its AWS README), with the two
 * mutating actions restricted to Auto Scaling groups tagged as this cluster's: EKS managed node groups tag
 * their group `k8s.io/cluster-autoscaler/<cluster>=owned`, and autodiscovery finds groups by the same tag.
 * The describe actions do not support resource scoping. `eks:DescribeNodegroup` reads labels and taints of
 * a managed node group that has never had a node (scale from zero).
 */
export function nodeAutoscalerStatements(clusterName: string): IamStatement[] {
  return [
    {
      Effect: 'Allow',
      Action: [
        'autoscaling:DescribeAutoScalingGroups',
        'autoscaling:DescribeAutoScalingInstances',
        'autoscaling:DescribeLaunchConfigurations',
        'autoscaling:DescribeScalingActivities',
        'ec2:DescribeImages',
        'ec2:DescribeInstanceTypes',
        'ec2:DescribeLaunchTemplateVersions',
        'ec2:GetInstanceTypesFromInstanceRequirements',
        'eks:DescribeNodegroup',
      ],
      Resource: '*',
    },
    {
      Effect: 'Allow',
      Action: ['autoscaling:SetDesiredCapacity', 'autoscaling:TerminateInstanceInAutoScalingGroup'],
      Resource: '*',
      Condition: { StringEquals: { [`aws:ResourceTag/k8s.io/cluster-autoscaler/${clusterName}`]: 'owned' } },
    },
  ];
}

const LB_ARNS = ['arn:aws:elasticloadbalancing:*:*:targetgroup/*/*', 'arn:aws:elasticloadbalancing:*:*:loadbalancer/net/*/*', 'arn:aws:elasticloadbalancing:*:*:loadbalancer/app/*/*'];
const CLUSTER_TAG = 'elbv2.k8s.aws/cluster';

/**
 * AWS Load Balancer Controller v3.5.0, `docs/install/iam_policy.json` of kubernetes-sigs/aws-load-balancer-
 * controller at tag v3.5.0, statement for statement, except: the WAF Classic, WAFv2 and Shield actions are
 * left out because the controller runs with `enableShield/enableWaf/enableWafv2=false` (it then never calls
 * them). Mutations of load balancers, target groups and security groups are limited, as upstream, to
 * resources carrying the controller's `elbv2.k8s.aws/cluster` tag.
 */
export const LOAD_BALANCER_CONTROLLER_STATEMENTS: readonly IamStatement[] = [
  {
    Effect: 'Allow',
    Action: ['iam:CreateServiceLinkedRole'],
    Resource: '*',
    Condition: { StringEquals: { 'iam:AWSServiceName': 'elasticloadbalancing.amazonaws.com' } },
  },
  {
    Effect: 'Allow',
    Action: [
      'ec2:DescribeAccountAttributes',
      'ec2:DescribeAddresses',
      'ec2:DescribeAvailabilityZones',
      'ec2:DescribeInternetGateways',
      'ec2:DescribeVpcs',
      'ec2:DescribeVpcPeeringConnections',
      'ec2:DescribeSubnets',
      'ec2:DescribeSecurityGroups',
      'ec2:DescribeInstances',
      'ec2:DescribeNetworkInterfaces',
      'ec2:DescribeTags',
      'ec2:GetCoipPoolUsage',
      'ec2:DescribeCoipPools',
      'ec2:GetSecurityGroupsForVpc',
      'ec2:DescribeIpamPools',
      'ec2:DescribeRouteTables',
      'elasticloadbalancing:DescribeLoadBalancers',
      'elasticloadbalancing:DescribeLoadBalancerAttributes',
      'elasticloadbalancing:DescribeListeners',
      'elasticloadbalancing:DescribeListenerCertificates',
      'elasticloadbalancing:DescribeSSLPolicies',
      'elasticloadbalancing:DescribeRules',
      'elasticloadbalancing:DescribeTargetGroups',
      'elasticloadbalancing:DescribeTargetGroupAttributes',
      'elasticloadbalancing:DescribeTargetHealth',
      'elasticloadbalancing:DescribeTags',
      'elasticloadbalancing:DescribeTrustStores',
      'elasticloadbalancing:DescribeListenerAttributes',
      'elasticloadbalancing:DescribeCapacityReservation',
    ],
    Resource: '*',
  },
  {
    Effect: 'Allow',
    Action: ['cognito-idp:DescribeUserPoolClient', 'acm:ListCertificates', 'acm:DescribeCertificate', 'iam:ListServerCertificates', 'iam:GetServerCertificate'],
    Resource: '*',
  },
  { Effect: 'Allow', Action: ['ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupIngress'], Resource: '*' },
  { Effect: 'Allow', Action: ['ec2:CreateSecurityGroup'], Resource: '*' },
  {
    Effect: 'Allow',
    Action: ['ec2:CreateTags'],
    Resource: 'arn:aws:ec2:*:*:security-group/*',
    Condition: { StringEquals: { 'ec2:CreateAction': 'CreateSecurityGroup' }, Null: { [`aws:RequestTag/${CLUSTER_TAG}`]: 'false' } },
  },
  {
    Effect: 'Allow',
    Action: ['ec2:CreateTags', 'ec2:DeleteTags'],
    Resource: 'arn:aws:ec2:*:*:security-group/*',
    Condition: { Null: { [`aws:RequestTag/${CLUSTER_TAG}`]: 'true', [`aws:ResourceTag/${CLUSTER_TAG}`]: 'false' } },
  },
  {
    Effect: 'Allow',
    Action: ['ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupIngress', 'ec2:DeleteSecurityGroup'],
    Resource: '*',
    Condition: { Null: { [`aws:ResourceTag/${CLUSTER_TAG}`]: 'false' } },
  },
  {
    Effect: 'Allow',
    Action: ['elasticloadbalancing:CreateLoadBalancer', 'elasticloadbalancing:CreateTargetGroup'],
    Resource: '*',
    Condition: { Null: { [`aws:RequestTag/${CLUSTER_TAG}`]: 'false' } },
  },
  {
    Effect: 'Allow',
    Action: ['elasticloadbalancing:CreateListener', 'elasticloadbalancing:DeleteListener', 'elasticloadbalancing:CreateRule', 'elasticloadbalancing:DeleteRule'],
    Resource: '*',
  },
  {
    Effect: 'Allow',
    Action: ['elasticloadbalancing:AddTags', 'elasticloadbalancing:RemoveTags'],
    Resource: LB_ARNS,
    Condition: { Null: { [`aws:RequestTag/${CLUSTER_TAG}`]: 'true', [`aws:ResourceTag/${CLUSTER_TAG}`]: 'false' } },
  },
  {
    Effect: 'Allow',
    Action: ['elasticloadbalancing:AddTags', 'elasticloadbalancing:RemoveTags'],
    Resource: [
      'arn:aws:elasticloadbalancing:*:*:listener/net/*/*/*',
      'arn:aws:elasticloadbalancing:*:*:listener/app/*/*/*',
      'arn:aws:elasticloadbalancing:*:*:listener-rule/net/*/*/*',
      'arn:aws:elasticloadbalancing:*:*:listener-rule/app/*/*/*',
    ],
  },
  {
    Effect: 'Allow',
    Action: [
      'elasticloadbalancing:ModifyLoadBalancerAttributes',
      'elasticloadbalancing:SetIpAddressType',
      'elasticloadbalancing:SetSecurityGroups',
      'elasticloadbalancing:SetSubnets',
      'elasticloadbalancing:DeleteLoadBalancer',
      'elasticloadbalancing:ModifyTargetGroup',
      'elasticloadbalancing:ModifyTargetGroupAttributes',
      'elasticloadbalancing:DeleteTargetGroup',
      'elasticloadbalancing:ModifyListenerAttributes',
      'elasticloadbalancing:ModifyCapacityReservation',
      'elasticloadbalancing:ModifyIpPools',
    ],
    Resource: '*',
    Condition: { Null: { [`aws:ResourceTag/${CLUSTER_TAG}`]: 'false' } },
  },
  {
    Effect: 'Allow',
    Action: ['elasticloadbalancing:AddTags'],
    Resource: LB_ARNS,
    Condition: {
      StringEquals: { 'elasticloadbalancing:CreateAction': ['CreateTargetGroup', 'CreateLoadBalancer'] },
      Null: { [`aws:RequestTag/${CLUSTER_TAG}`]: 'false' },
    },
  },
  { Effect: 'Allow', Action: ['elasticloadbalancing:RegisterTargets', 'elasticloadbalancing:DeregisterTargets'], Resource: 'arn:aws:elasticloadbalancing:*:*:targetgroup/*/*' },
  {
    Effect: 'Allow',
    Action: [
      'elasticloadbalancing:SetWebAcl',
      'elasticloadbalancing:ModifyListener',
      'elasticloadbalancing:AddListenerCertificates',
      'elasticloadbalancing:RemoveListenerCertificates',
      'elasticloadbalancing:ModifyRule',
      'elasticloadbalancing:SetRulePriorities',
    ],
    Resource: '*',
  },
];
