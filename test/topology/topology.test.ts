import { readFileSync } from 'fs';
import { join } from 'path';
import { readManifest } from '../../lib/rollout/manifest';
import { orderStacks } from '../../lib/rollout/order';
import { checkTopology, monitoringSwitches, TopologyStack } from '../../lib/topology/check';
import { REPO_ROOT, synthExample } from '../helpers';

const EXAMPLES = ['gcc-uae-aws', 'gcc-uae-azure', 'core42-uae-azure'];

/** Synthesizes an example and reads it back the way the rollout does: manifest.json, then each cdk.tf.json. */
function synthesized(example: string): TopologyStack[] {
  const { outdir } = synthExample(join(REPO_ROOT, 'examples', `${example}.yaml`));
  return orderStacks(readManifest(outdir)).map((entry) => ({
    name: entry.name,
    dependencies: entry.dependencies,
    config: JSON.parse(readFileSync(join(entry.workingDirectory, 'cdk.tf.json'), 'utf8')),
  }));
}

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value));
const entryOf = (stack: TopologyStack, type: string, match: (r: any) => boolean): [string, any] =>
  Object.entries<any>(stack.config.resource![type]).find(([, r]) => match(r))!;

describe.each(EXAMPLES)('stack topology of %s', (example) => {
  const stacks = synthesized(example);
  const env = stacks.find((s) => s.name.endsWith('-platform'))!.name.replace(/-platform$/, '');
  const stack = (kind: string) => stacks.find((s) => s.name === `${env}-${kind}`)!;
  const cloud = example.includes('aws') ? 'aws' : 'azure';

  test('rollout order: state, platform, addons, workloads, then the tenants', () => {
    const names = stacks.map((s) => s.name);
    expect(names.slice(0, 4)).toEqual([`${env}-state`, `${env}-platform`, `${env}-addons`, `${env}-workloads`]);
    expect(names.slice(4).every((n) => n.startsWith(`${env}-tenant-`))).toBe(true);
    expect(names.length).toBeGreaterThan(4);
    expect(stack('workloads').dependencies).toContain(`${env}-addons`);
    for (const tenant of stacks.slice(4)) expect(tenant.dependencies).toContain(`${env}-workloads`);
  });

  test('the addons stack holds the CRD-bearing releases and no custom resource', () => {
    const charts = Object.values<any>(stack('addons').config.resource!.helm_release).map((r) => r.chart);
    const common = ['cert-manager', 'clickhouse-operator-helm', 'cloudnative-pg', 'external-secrets', 'keda', 'kube-prometheus-stack', 'nvidia-device-plugin', 'plugin-barman-cloud', 'traefik'];
    // EKS adds its controllers and metrics-server; AKS runs all three itself.
    const eks = ['aws-load-balancer-controller', 'cluster-autoscaler', 'metrics-server'];
    expect(charts.sort()).toEqual([...common, ...(example.includes('aws') ? eks : [])].sort());
    // Custom resources only of APIs the managed cluster serves itself (AKS: CiliumNetworkPolicy).
    const manifests = Object.values<any>(stack('addons').config.resource!.kubernetes_manifest ?? {});
    expect(manifests.filter((m) => !m.manifest.apiVersion.startsWith('cilium.io/'))).toEqual([]);
    expect(Object.keys(stack('workloads').config.resource!.kubernetes_manifest).length).toBeGreaterThan(10);
  });

  test('no custom resource is planned, and no chart rendered, before its API is installed', () => {
    expect(checkTopology(stacks, cloud)).toEqual([]);
  });

  test('the check sees the Traefik ServiceMonitor and fails when Traefik no longer waits for the CRDs', () => {
    const broken = clone(stacks);
    const addons = broken.find((s) => s.name === `${env}-addons`)!;
    const [name, traefik] = entryOf(addons, 'helm_release', (r) => r.chart === 'traefik');
    expect(monitoringSwitches(JSON.parse(traefik.values[0]))).toEqual(['metrics.prometheus.serviceMonitor']);
    traefik.depends_on = [];
    expect(checkTopology(broken, cloud)).toEqual([
      {
        stack: `${env}-addons`,
        address: `helm_release.${name}`,
        message: expect.stringContaining('values metrics.prometheus.serviceMonitor render monitoring.coreos.com objects, but is not ordered after'),
      },
    ]);
  });

  test('the check fails when the ClusterSecretStore is planned with the release that installs its CRD', () => {
    const broken = clone(stacks);
    const workloads = broken.find((s) => s.name === `${env}-workloads`)!;
    const addons = broken.find((s) => s.name === `${env}-addons`)!;
    const [name, store] = entryOf(workloads, 'kubernetes_manifest', (r) => r.manifest.kind === 'ClusterSecretStore');
    delete workloads.config.resource!.kubernetes_manifest[name];
    addons.config.resource!.kubernetes_manifest = { [name]: store };
    const violations = checkTopology(broken, cloud);
    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatchObject({ stack: `${env}-addons`, address: `kubernetes_manifest.${name}` });
    expect(violations[0].message).toContain(`ClusterSecretStore (external-secrets.io/v1) is planned in ${env}-addons, which does not depend on the stack installing its CRD`);
  });
});

describe('checkTopology on hand-made inputs', () => {
  const release = (chart: string, extra: Record<string, unknown> = {}) => ({ chart, values: ['{}'], ...extra });
  const manifest = (apiVersion: string, kind: string) => ({ manifest: { apiVersion, kind } });

  test('a custom resource in a stack that does not depend on its CRD stack is refused, even if listed later', () => {
    const stacks: TopologyStack[] = [
      { name: 'e-addons', dependencies: [], config: { resource: { helm_release: { keda: release('keda') } } } },
      { name: 'e-workloads', dependencies: [], config: { resource: { kubernetes_manifest: { so: manifest('keda.sh/v1alpha1', 'ScaledObject') } } } },
    ];
    expect(checkTopology(stacks, 'aws').map((v) => v.address)).toEqual(['kubernetes_manifest.so']);
    expect(checkTopology([stacks[0], { ...stacks[1], dependencies: ['e-addons'] }], 'aws')).toEqual([]);
  });

  test('transitive stack dependencies count; built-in groups need no release; unknown groups are refused', () => {
    const stacks: TopologyStack[] = [
      { name: 'e-addons', dependencies: [], config: { resource: { helm_release: { eso: release('external-secrets') } } } },
      { name: 'e-workloads', dependencies: ['e-addons'], config: {} },
      {
        name: 'e-tenant-a',
        dependencies: ['e-workloads'],
        config: {
          resource: {
            kubernetes_manifest: {
              pw: manifest('generators.external-secrets.io/v1alpha1', 'Password'),
              cm: manifest('v1', 'ConfigMap'),
              np: manifest('networking.k8s.io/v1', 'NetworkPolicy'),
              vs: manifest('example.io/v1', 'Widget'),
            },
          },
        },
      },
    ];
    const violations = checkTopology(stacks, 'aws');
    expect(violations).toEqual([
      { stack: 'e-tenant-a', address: 'kubernetes_manifest.vs', message: 'Widget (example.io/v1): no helm_release installs API group "example.io" (or its chart is missing from CHART_API_GROUPS)' },
    ]);
  });

  test('APIs the managed cluster serves itself count only on that cloud (Cilium on AKS)', () => {
    const stacks: TopologyStack[] = [{ name: 'e-addons', dependencies: [], config: { resource: { kubernetes_manifest: { cnp: manifest('cilium.io/v2', 'CiliumNetworkPolicy') } } } }];
    expect(checkTopology(stacks, 'azure')).toEqual([]);
    expect(checkTopology(stacks, 'aws').map((v) => v.address)).toEqual(['kubernetes_manifest.cnp']);
  });

  test('within one stack a monitoring switch needs a depends_on path to the prometheus-operator CRDs', () => {
    const monitored = JSON.stringify({ metrics: { serviceMonitor: { enabled: true } } });
    const resources = (qdrantDependsOn: string[]) => ({
      helm_release: {
        kps: release('kube-prometheus-stack', { values: [JSON.stringify({ prometheus: { serviceMonitor: { enabled: true } } })] }),
        mid: release('cert-manager', { depends_on: ['helm_release.kps'] }),
        qdrant: release('qdrant', { values: [monitored], depends_on: qdrantDependsOn }),
      },
    });
    const one = (deps: string[]): TopologyStack[] => [{ name: 'e-addons', dependencies: [], config: { resource: resources(deps) } }];
    expect(checkTopology(one([]), 'aws')).toEqual([
      {
        stack: 'e-addons',
        address: 'helm_release.qdrant',
        message: 'values metrics.serviceMonitor render monitoring.coreos.com objects, but is not ordered after the release installing them (helm_release.kps in e-addons)',
      },
    ]);
    // Through another release (transitive), and the CRD-installing release itself, are fine.
    expect(checkTopology(one(['helm_release.mid']), 'aws')).toEqual([]);
  });

  test('a switched-off monitor needs nothing; a chart that renders another operator\'s objects waits for it', () => {
    expect(monitoringSwitches({ serviceMonitor: { enabled: false }, prometheus: { servicemonitor: { enabled: true } }, podMonitor: true })).toEqual(['prometheus.servicemonitor']);
    const stacks: TopologyStack[] = [
      { name: 'e-addons', dependencies: [], config: { resource: { helm_release: { op: release('clickhouse-operator-helm') } } } },
      { name: 'e-workloads', dependencies: [], config: { resource: { helm_release: { langfuse: release('langfuse') } } } },
    ];
    expect(checkTopology(stacks, 'aws')[0].message).toBe('chart langfuse renders clickhouse.com objects, but is not ordered after the release installing them (helm_release.op in e-addons)');
    expect(checkTopology([stacks[0], { ...stacks[1], dependencies: ['e-addons'] }], 'aws')).toEqual([]);
  });
});
