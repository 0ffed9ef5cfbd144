import { parse } from 'yaml';
import { AWS_EXAMPLE, resourcesOf, synthExample } from '../helpers';
import { AZURE_EXAMPLE } from '../azure/helpers';

/**
 * The CloudNativePG operator (the data tier's Postgres operator) in `<env>-addons`: pinned chart, operator
 * image from the in-region mirror (the operator also injects that image into every Postgres pod it runs),
 * on the system pool, in a restricted, default-deny namespace that only the API server reaches, on the
 * webhook port.
 */
describe.each([
  ['EKS', AWS_EXAMPLE, /\.dkr\.ecr\.me-central-1\.amazonaws\.com\/mirror\/cloudnative-pg\/cloudnative-pg$/],
  ['AKS', AZURE_EXAMPLE, /\.azurecr\.io\/mirror\/cloudnative-pg\/cloudnative-pg$/],
])('%s: CloudNativePG operator', (_cloud, example, mirrored) => {
  const stacks = synthExample(example).stacks;
  const addons = Object.entries(stacks).find(([name]) => name.endsWith('-addons'))![1];
  const workloads = Object.entries(stacks).find(([name]) => name.endsWith('-workloads'))![1];
  const [, release] = resourcesOf(addons, 'helm_release').find(([, r]) => r.name === 'cloudnative-pg')!;
  const values = parse(release.values[0]);

  test('is the pinned chart in cnpg-system, with the mirrored operator image', () => {
    expect(release.chart).toBe('cloudnative-pg');
    expect(release.version).toBe('0.29.0');
    expect(release.namespace).toBe('cnpg-system');
    expect(values.image.repository).toMatch(mirrored);
    expect(values.image.tag).toBe('1.30.0');
  });

  test('runs on the system pool', () => {
    expect(Object.keys(values.nodeSelector).length).toBeGreaterThan(0);
    const general = resourcesOf(addons, 'helm_release').find(([, r]) => r.name === 'clickhouse-operator')![1];
    expect(values.nodeSelector).toEqual(parse(general.values[0]).manager.nodeSelector);
  });

  test('its namespace is restricted and default-deny; the API server reaches only the webhook port 9443, the operator only the plugin on 9090', () => {
    const [, namespace] = resourcesOf(addons, 'kubernetes_namespace_v1').find(([, n]) => n.metadata.name === 'cnpg-system')!;
    expect(namespace.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    const policies = resourcesOf(addons, 'kubernetes_network_policy_v1').map(([, p]) => p).filter((p) => p.metadata.namespace === 'cnpg-system');
    expect(policies.find((p) => p.metadata.name === 'default-deny')).toBeDefined();
    const ingress = policies.filter((p) => p.spec.policy_types.includes('Ingress') && p.metadata.name !== 'default-deny');
    const cilium = resourcesOf(addons, 'kubernetes_manifest').map(([, m]) => m.manifest).filter((m) => m.kind === 'CiliumNetworkPolicy' && m.metadata.namespace === 'cnpg-system');
    const fromPods = ingress.filter((p) => p.spec.ingress.some((rule: any) => rule.from.some((peer: any) => peer.pod_selector)));
    const fromApiServer = [
      ...ingress.filter((p) => !fromPods.includes(p)).flatMap((p) => p.spec.ingress.flatMap((rule: any) => rule.ports.map((port: any) => Number(port.port)))),
      ...cilium.flatMap((m) => (m.spec.ingress ?? []).flatMap((rule: any) => (rule.toPorts ?? []).flatMap((tp: any) => tp.ports.map((port: any) => Number(port.port))))),
    ];
    expect(new Set(fromApiServer)).toEqual(new Set([9443]));
    // The only pod-to-pod ingress: the operator calls the Barman Cloud plugin (lib/kubernetes/network-policies.ts).
    expect(fromPods.map((p) => p.metadata.name)).toEqual(['allow-cnpg-operator-to-barman-cloud-plugin-ingress']);
    expect(fromPods[0].spec.ingress[0].ports).toEqual([{ port: '9090', protocol: 'TCP' }]);
    expect(fromPods[0].spec.ingress[0].from[0].pod_selector.match_labels).toEqual({ 'app.kubernetes.io/name': 'cloudnative-pg' });
  });

  test('the workloads stack runs the Postgres Clusters (test/data/postgres-clusters.test.ts)', () => {
    const kinds = resourcesOf(workloads, 'kubernetes_manifest').map(([, m]) => m.manifest).filter((m) => m.apiVersion.startsWith('postgresql.cnpg.io/'));
    expect(kinds.filter((m) => m.kind === 'Cluster')).toHaveLength(2);
  });
});
