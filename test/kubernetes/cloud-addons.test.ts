import { AWS_EXAMPLE, resourcesOf, synthExample } from '../helpers';
import { AZURE_EXAMPLE } from '../azure/helpers';
import { IMAGES } from '../../lib/versions';
import { BASELINE_ORDER } from '../../lib/kubernetes/baseline';

/**
 * What the cloud contributes to the cluster baseline through ClusterInfo.addOns: EKS gets
 * cluster-autoscaler and the AWS Load Balancer Controller with Pod Identity and scoped IAM; AKS gets
 * neither (built in) and no second metrics-server.
 */
const aws = synthExample(AWS_EXAMPLE).stacks;
const azure = synthExample(AZURE_EXAMPLE).stacks;
const eksPlatform = aws['uae-prod-aws-platform'];
// The baseline and its identities are in the addons stack.
const eksAddons = aws['uae-prod-aws-addons'];
const aksPlatform = Object.entries(azure).find(([name]) => name.endsWith('-platform'))![1];
const aksAddons = Object.entries(azure).find(([name]) => name.endsWith('-addons'))![1];

const releaseOf = (stack: any, name: string) => resourcesOf(stack, 'helm_release').find(([, r]) => r.name === name);
const valuesOf = (stack: any, name: string) => JSON.parse(releaseOf(stack, name)![1].values[0]);
const rolePolicy = (id: string) => JSON.parse(resourcesOf(eksAddons, 'aws_iam_role_policy').find(([, p]) => p.name === id)![1].policy);
const actionsOf = (policy: any): string[] => policy.Statement.flatMap((s: any) => s.Action);

describe('EKS cluster-autoscaler', () => {
  const values = valuesOf(eksAddons, 'cluster-autoscaler');

  test('runs first in the baseline, from the mirror, on the system pool', () => {
    expect(BASELINE_ORDER[0]).toBe('cluster-autoscaler');
    expect(values.image).toEqual({ repository: `111122223333.dkr.ecr.me-central-1.amazonaws.com/mirror/${IMAGES['cluster-autoscaler'].repository}`, tag: 'v1.34.2' });
    expect(values.nodeSelector).toEqual({ 'rag.platform/pool': 'system' });
    expect(releaseOf(eksAddons, 'cluster-autoscaler')![1].namespace).toBe('cloud-controllers');
  });

  test('private-cluster flags: static instance list, balanced zonal groups, least-waste, tag autodiscovery', () => {
    expect(values.cloudProvider).toBe('aws');
    expect(values.awsRegion).toBe('me-central-1');
    expect(values.autoDiscovery.clusterName).toMatch(/aws_eks_cluster.*name/);
    expect(values.extraArgs).toMatchObject({
      'aws-use-static-instance-list': true,
      'balance-similar-node-groups': true,
      expander: 'least-waste',
    });
  });

  test('IAM: describe on *, resize and terminate only Auto Scaling groups tagged as this cluster', () => {
    const policy = rolePolicy('cluster-autoscaler');
    const mutating = policy.Statement.filter((s: any) => s.Action.some((a: string) => !/:(Describe|Get)/.test(a)));
    expect(mutating).toHaveLength(1);
    expect(mutating[0].Action.sort()).toEqual(['autoscaling:SetDesiredCapacity', 'autoscaling:TerminateInstanceInAutoScalingGroup']);
    const [[key, value]] = Object.entries(mutating[0].Condition.StringEquals);
    expect(key).toMatch(/^aws:ResourceTag\/k8s\.io\/cluster-autoscaler\/\$\{.*aws_eks_cluster.*name\}$/);
    expect(value).toBe('owned');
    expect(actionsOf(policy)).toContain('eks:DescribeNodegroup');
  });

  test('Pod Identity for its ServiceAccount exists before the release installs', () => {
    const [id, association] = resourcesOf(eksAddons, 'aws_eks_pod_identity_association').find(([, a]) => a.service_account === 'cluster-autoscaler')!;
    expect(association.namespace).toBe('cloud-controllers');
    expect(values.rbac.serviceAccount.name).toBe('cluster-autoscaler');
    expect(releaseOf(eksAddons, 'cluster-autoscaler')![1].depends_on).toContain(`aws_eks_pod_identity_association.${id}`);
  });

  test('the general pool (zonal EBS volumes) is one node group per zone, the bounds split over them', () => {
    const groups = resourcesOf(eksPlatform, 'aws_eks_node_group').map(([, g]) => g);
    const general = groups.filter((g) => g.node_group_name.startsWith('general-'));
    expect(general.map((g) => g.node_group_name).sort()).toEqual(['general-me-central-1a', 'general-me-central-1b', 'general-me-central-1c']);
    for (const group of general) {
      expect(group.subnet_ids).toHaveLength(1);
      expect(group.subnet_ids[0]).toContain(group.node_group_name.replace('general-', 'nodes-'));
      // examples/gcc-uae-aws.yaml: general min 3, max 12 over three zones.
      expect(group.scaling_config).toMatchObject({ min_size: 1, max_size: 4 });
    }
    expect(groups.find((g) => g.node_group_name === 'gpu').subnet_ids).toHaveLength(3);
  });

  test('GPU pool tells the autoscaler its GPU type (waits for the device plugin) and scales from zero', () => {
    const gpuGroup = resourcesOf(eksPlatform, 'aws_eks_node_group').find(([, g]) => g.node_group_name === 'gpu')![1];
    expect(gpuGroup.labels['k8s.amazonaws.com/accelerator']).toBe('nvidia-l4');
    expect(gpuGroup.scaling_config.min_size).toBe(0);
    const templateTags = resourcesOf(eksPlatform, 'aws_autoscaling_group_tag').map(([, t]) => `${t.tag.key}=${t.tag.value}`);
    expect(templateTags).toEqual(
      expect.arrayContaining([
        'k8s.io/cluster-autoscaler/node-template/label/k8s.amazonaws.com/accelerator=nvidia-l4',
        'k8s.io/cluster-autoscaler/node-template/resources/nvidia.com/gpu=1',
        'k8s.io/cluster-autoscaler/node-template/taint/nvidia.com/gpu=present:NoSchedule',
      ]),
    );
  });
});

describe('AWS Load Balancer Controller', () => {
  const values = valuesOf(eksAddons, 'aws-load-balancer-controller');

  test('Shield and WAF off, region and VPC set (no IMDS), before Traefik', () => {
    expect(values).toMatchObject({ enableShield: false, enableWaf: false, enableWafv2: false, region: 'me-central-1', createIngressClassResource: false });
    expect(values.vpcId).toMatch(/aws_vpc.*id/);
    expect(values.clusterName).toMatch(/aws_eks_cluster.*name/);
    // Traefik waits for kube-prometheus-stack (its ServiceMonitor), which waits for the controller.
    const [lbcId] = releaseOf(eksAddons, 'aws-load-balancer-controller')!;
    const [kpsId, kps] = releaseOf(eksAddons, 'kube-prometheus-stack')!;
    expect(kps.depends_on).toContain(`helm_release.${lbcId}`);
    expect(releaseOf(eksAddons, 'traefik')![1].depends_on).toContain(`helm_release.${kpsId}`);
  });

  test('IAM: the upstream policy minus WAF/Shield; creations must carry the cluster tag', () => {
    const policy = rolePolicy('aws-load-balancer-controller');
    const actions = actionsOf(policy);
    expect(actions.filter((a) => /^(waf|wafv2|waf-regional|shield):/.test(a))).toEqual([]);
    const create = policy.Statement.find((s: any) => s.Action.includes('elasticloadbalancing:CreateLoadBalancer'));
    expect(create.Condition).toEqual({ Null: { 'aws:RequestTag/elbv2.k8s.aws/cluster': 'false' } });
    const del = policy.Statement.find((s: any) => s.Action.includes('elasticloadbalancing:DeleteLoadBalancer'));
    expect(del.Condition).toEqual({ Null: { 'aws:ResourceTag/elbv2.k8s.aws/cluster': 'false' } });
  });
});

describe('vpc-cni enforces NetworkPolicy', () => {
  test('the add-on runs the network policy agent', () => {
    const cni = resourcesOf(eksPlatform, 'aws_eks_addon').find(([, a]) => a.addon_name === 'vpc-cni')![1];
    expect(JSON.parse(cni.configuration_values)).toEqual({ enableNetworkPolicy: 'true' });
  });
});

describe('kube-prometheus-stack on managed control planes', () => {
  test.each([
    ['EKS', eksAddons, true],
    ['AKS', aksAddons, false],
  ])('%s: no scheduler/controller-manager/etcd monitors; kube-proxy only where it runs', (_cloud, stack, kubeProxy) => {
    const values = valuesOf(stack, 'kube-prometheus-stack');
    expect(values.kubeScheduler).toEqual({ enabled: false });
    expect(values.kubeControllerManager).toEqual({ enabled: false });
    expect(values.kubeEtcd).toEqual({ enabled: false });
    expect(values.kubeProxy).toEqual({ enabled: kubeProxy });
  });

  test('node-exporter renders exactly the pinned tag', () => {
    // The chart's image helper: <registry>/<repository>:<tag><"-distroless" if image.distroless>.
    const image = valuesOf(eksAddons, 'kube-prometheus-stack')['prometheus-node-exporter'].image;
    const rendered = `${image.registry}/${image.repository}:${image.tag}${image.distroless ? '-distroless' : ''}`;
    expect(rendered).toBe(`111122223333.dkr.ecr.me-central-1.amazonaws.com/mirror/prometheus/node-exporter:${IMAGES['node-exporter'].tag}`);
    expect(IMAGES['node-exporter'].tag).toMatch(/-distroless$/);
  });
});

describe('AKS: the cloud runs the autoscaler and metrics-server', () => {
  test('no metrics-server, cluster-autoscaler or load balancer controller release, and no namespace for them', () => {
    for (const name of ['metrics-server', 'cluster-autoscaler', 'aws-load-balancer-controller']) {
      expect(releaseOf(aksAddons, name)).toBeUndefined();
    }
    const namespaces = resourcesOf(aksAddons, 'kubernetes_namespace_v1').map(([, n]) => n.metadata.name);
    expect(namespaces).not.toContain('metrics-server');
    expect(namespaces).not.toContain('cloud-controllers');
    // The chain stays unbroken around the skipped add-on.
    const [kedaId] = releaseOf(aksAddons, 'keda')!;
    expect(releaseOf(aksAddons, 'nvidia-device-plugin')![1].depends_on).toContain(`helm_release.${kedaId}`);
  });

  test('the built-in autoscaler has a profile and every pool bounds it reaches (GPU from zero)', () => {
    const [cluster] = resourcesOf(aksPlatform, 'azurerm_kubernetes_cluster').map(([, c]) => c);
    expect(cluster.auto_scaler_profile).toMatchObject({ expander: 'least-waste', balance_similar_node_groups: true });
    expect(cluster.default_node_pool).toMatchObject({ auto_scaling_enabled: true });
    const pools = resourcesOf(aksPlatform, 'azurerm_kubernetes_cluster_node_pool').map(([, p]) => p);
    expect(pools.length).toBeGreaterThanOrEqual(2);
    for (const pool of pools) {
      expect(pool.auto_scaling_enabled).toBe(true);
      expect(pool.max_count).toBeGreaterThanOrEqual(Math.max(1, pool.min_count));
    }
    expect(pools.find((p) => p.name === 'gpu').min_count).toBe(0);
  });
});
