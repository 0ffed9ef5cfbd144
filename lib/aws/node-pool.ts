import { Construct } from 'constructs';
import { ITerraformDependable } from 'cdktf';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { EksNodeGroup } from '@cdktf/provider-aws/lib/eks-node-group';
import { AutoscalingGroupTagA } from '@cdktf/provider-aws/lib/autoscaling-group-tag';
import { componentTags } from '../tags';

export interface NodeTaint {
  readonly key: string;
  readonly value: string;
  readonly effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

export interface ManagedNodePoolProps {
  readonly clusterName: string;
  readonly poolName: string;
  readonly nodeRoleArn: string;
  readonly subnetIds: string[];
  readonly instanceType: string;
  /** `AL2023_x86_64_STANDARD`, or `AL2023_x86_64_NVIDIA` (driver on the image) for GPU pools. */
  readonly amiType: string;
  readonly minSize: number;
  readonly maxSize: number;
  readonly diskSizeGb: number;
  readonly ebsKeyArn: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly NodeTaint[];
  /** Extended resources a node offers (e.g. `nvidia.com/gpu`), advertised for scale-from-zero. */
  readonly extendedResources?: Readonly<Record<string, string>>;
  readonly dependsOn: ITerraformDependable[];
}

const EKS_TAINT_EFFECT = { NoSchedule: 'NO_SCHEDULE', PreferNoSchedule: 'PREFER_NO_SCHEDULE', NoExecute: 'NO_EXECUTE' } as const;

/**
 * A managed node group built from our own launch template: IMDSv2 required with a hop limit of 1 (pods
 * cannot reach the node's credentials), the root volume encrypted with our EBS CMK, and no public IP
 * (the subnets never map one, and there is no internet gateway).
 */
export class ManagedNodePool extends Construct {
  readonly nodeGroup: EksNodeGroup;

  constructor(scope: Construct, id: string, props: ManagedNodePoolProps) {
    super(scope, id);
    const name = `${props.clusterName}-${props.poolName}`;
    const tags = componentTags('eks-nodes', name);
    const launchTemplate = new LaunchTemplate(this, 'launch-template', {
      name,
      description: `${name}: IMDSv2 only, CMK-encrypted root volume`,
      updateDefaultVersion: true,
      metadataOptions: { httpEndpoint: 'enabled', httpTokens: 'required', httpPutResponseHopLimit: 1, instanceMetadataTags: 'disabled' },
      blockDeviceMappings: [
        {
          deviceName: '/dev/xvda',
          ebs: { volumeSize: props.diskSizeGb, volumeType: 'gp3', encrypted: 'true', kmsKeyId: props.ebsKeyArn, deleteOnTermination: 'true' },
        },
      ],
      tagSpecifications: [
        { resourceType: 'instance', tags },
        { resourceType: 'volume', tags },
      ],
      tags,
    });
    this.nodeGroup = new EksNodeGroup(this, 'node-group', {
      clusterName: props.clusterName,
      nodeGroupName: props.poolName,
      nodeRoleArn: props.nodeRoleArn,
      subnetIds: props.subnetIds,
      amiType: props.amiType,
      capacityType: 'ON_DEMAND',
      instanceTypes: [props.instanceType],
      scalingConfig: { minSize: props.minSize, maxSize: props.maxSize, desiredSize: props.minSize },
      updateConfig: { maxUnavailable: 1 },
      labels: { ...props.labels },
      taint: props.taints.map((taint) => ({ key: taint.key, value: taint.value, effect: EKS_TAINT_EFFECT[taint.effect] })),
      launchTemplate: { id: launchTemplate.id, version: `${launchTemplate.latestVersion}` },
      tags,
      // The autoscaler owns the current size; Terraform only owns the bounds.
      lifecycle: { ignoreChanges: ['scaling_config[0].desired_size'] },
      dependsOn: props.dependsOn,
    });
    if (props.minSize === 0) {
      this.advertiseForScaleFromZero(props);
    }
  }

  /**
   * With no node running, the cluster autoscaler learns a pool's labels, taints and GPUs only from tags on
   * its Auto Scaling group; EKS does not copy node group labels there.
   */
  private advertiseForScaleFromZero(props: ManagedNodePoolProps): void {
    const asgName = this.nodeGroup.resources.get(0).autoscalingGroups.get(0).name;
    const templateTags: Array<[string, string]> = [
      ...Object.entries(props.labels).map(([key, value]): [string, string] => [`label/${key}`, value]),
      ...props.taints.map((taint): [string, string] => [`taint/${taint.key}`, `${taint.value}:${taint.effect}`]),
      ...Object.entries(props.extendedResources ?? {}).map(([key, value]): [string, string] => [`resources/${key}`, value]),
    ];
    for (const [suffix, value] of templateTags) {
      new AutoscalingGroupTagA(this, `asg-tag-${suffix.replace(/[^A-Za-z0-9-]/g, '-')}`, {
        autoscalingGroupName: asgName,
        tag: { key: `k8s.io/cluster-autoscaler/node-template/${suffix}`, value, propagateAtLaunch: false },
      });
    }
  }
}
