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
  /**
   * One node group per subnet (zone) instead of one spanning them, for pools whose pods keep zonal volumes
   * (EBS): a node group spanning zones may add a node in a zone where the pending pod's volume is not, and
   * the autoscaler cannot choose the zone. The names of the zones, in the order of `subnetIds`.
   */
  readonly perZone?: readonly string[];
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
  /** One node group, or one per zone (`perZone`). */
  readonly nodeGroups: EksNodeGroup[];

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
    const group = (id: string, nodeGroupName: string, subnetIds: string[], minSize: number, maxSize: number) =>
      new EksNodeGroup(this, id, {
        clusterName: props.clusterName,
        nodeGroupName,
        nodeRoleArn: props.nodeRoleArn,
        subnetIds,
        amiType: props.amiType,
        capacityType: 'ON_DEMAND',
        instanceTypes: [props.instanceType],
        scalingConfig: { minSize, maxSize, desiredSize: minSize },
        updateConfig: { maxUnavailable: 1 },
        labels: { ...props.labels },
        taint: props.taints.map((taint) => ({ key: taint.key, value: taint.value, effect: EKS_TAINT_EFFECT[taint.effect] })),
        launchTemplate: { id: launchTemplate.id, version: `${launchTemplate.latestVersion}` },
        tags,
        // The autoscaler owns the current size; Terraform only owns the bounds.
        lifecycle: { ignoreChanges: ['scaling_config[0].desired_size'] },
        dependsOn: props.dependsOn,
      });
    if (props.perZone === undefined) {
      this.nodeGroups = [group('node-group', props.poolName, props.subnetIds, props.minSize, props.maxSize)];
    } else {
      // The pool's bounds split over the zones, rounded up so no zone is left without its share
      // (balance-similar-node-groups keeps the groups the same size).
      const zones = props.perZone;
      const share = (total: number) => Math.ceil(total / zones.length);
      this.nodeGroups = zones.map((zone, index) =>
        group(`node-group-${zone}`, `${props.poolName}-${zone}`, [props.subnetIds[index]], share(props.minSize), share(props.maxSize)),
      );
    }
    if (props.minSize === 0) {
      this.nodeGroups.forEach((nodeGroup, index) => this.advertiseForScaleFromZero(props, nodeGroup, props.perZone?.[index]));
    }
  }

  /**
   * With no node running, the cluster autoscaler learns a pool's labels, taints and GPUs only from tags on
   * its Auto Scaling group; EKS does not copy node group labels there.
   */
  private advertiseForScaleFromZero(props: ManagedNodePoolProps, nodeGroup: EksNodeGroup, zone: string | undefined): void {
    const asgName = nodeGroup.resources.get(0).autoscalingGroups.get(0).name;
    const prefix = zone === undefined ? 'asg-tag' : `asg-tag-${zone}`;
    const templateTags: Array<[string, string]> = [
      ...Object.entries(props.labels).map(([key, value]): [string, string] => [`label/${key}`, value]),
      ...props.taints.map((taint): [string, string] => [`taint/${taint.key}`, `${taint.value}:${taint.effect}`]),
      ...Object.entries(props.extendedResources ?? {}).map(([key, value]): [string, string] => [`resources/${key}`, value]),
    ];
    for (const [suffix, value] of templateTags) {
      new AutoscalingGroupTagA(this, `${prefix}-${suffix.replace(/[^A-Za-z0-9-]/g, '-')}`, {
        autoscalingGroupName: asgName,
        tag: { key: `k8s.io/cluster-autoscaler/node-template/${suffix}`, value, propagateAtLaunch: false },
      });
    }
  }
}
