import { AWS_EXAMPLE, resourcesOf, synthExample } from '../helpers';
import { AZURE_EXAMPLE } from '../azure/helpers';

/**
 * The orchestrator reads each tenant's `tenant-scope` ConfigMap and `tenant-credentials` Secret through the
 * Kubernetes API: its token is mounted, its namespace may reach the API server, and the names it is told
 * are exactly the ones the tenant stacks grant it `get` on.
 */

const stackOf = (stacks: Record<string, any>, suffix: string) => Object.entries(stacks).find(([name]) => name.endsWith(suffix))![1];
const orchestratorValues = (workloads: any) => JSON.parse(resourcesOf(workloads, 'helm_release').find(([, r]) => r.name === 'orchestrator')![1].values[0]);

describe('EKS', () => {
  const { stacks } = synthExample(AWS_EXAMPLE);

  test('the chart is told to mount the token and where the tenant data is', () => {
    expect(orchestratorValues(stackOf(stacks, '-workloads')).tenancy.kubernetesApi).toEqual({
      enabled: true,
      namespacePrefix: 'tenant-',
      scopeConfigMap: 'tenant-scope',
      credentialsSecretName: 'tenant-credentials',
    });
  });

  test('each tenant stack grants the orchestrator ServiceAccount get on exactly those two objects in its namespace', () => {
    const tenants = Object.entries(stacks).filter(([name]) => name.includes('-tenant-'));
    expect(tenants.length).toBeGreaterThan(0);
    for (const [, tenant] of tenants) {
      const [, role] = resourcesOf(tenant, 'kubernetes_role_v1').find(([, r]) => r.metadata.name === 'orchestrator-reader')!;
      // The Role lives in the tenant's namespace, named `tenant-<id>` (= namespacePrefix + id).
      const [, namespace] = resourcesOf(tenant, 'kubernetes_namespace_v1')[0];
      expect(namespace.metadata.name).toMatch(/^tenant-[a-z0-9-]+$/);
      expect(role.metadata.namespace).toMatch(/^\$\{kubernetes_namespace_v1\./);
      expect(role.rule).toEqual([
        { api_groups: [''], resources: ['secrets'], resource_names: ['tenant-credentials'], verbs: ['get'] },
        { api_groups: [''], resources: ['configmaps'], resource_names: ['tenant-scope'], verbs: ['get'] },
      ]);
      const [, binding] = resourcesOf(tenant, 'kubernetes_role_binding_v1').find(([, b]) => b.metadata.name === 'orchestrator-reader')!;
      expect(binding.subject).toEqual([{ kind: 'ServiceAccount', name: 'orchestrator', namespace: 'rag-platform' }]);
    }
  });

  test('rag-platform may reach the API server (the private endpoint in the VPC) on 443', () => {
    const policy = resourcesOf(stackOf(stacks, '-addons'), 'kubernetes_network_policy_v1')
      .map(([, p]) => p)
      .find((p) => p.metadata.namespace === 'rag-platform' && p.metadata.name === 'allow-orchestrator-to-api-server')!;
    expect(policy.spec.pod_selector.match_labels).toEqual({ 'app.kubernetes.io/name': 'orchestrator' });
    expect(policy.spec.egress[0].ports).toEqual([{ port: '443', protocol: 'TCP' }]);
    expect(policy.spec.egress[0].to[0].ip_block.cidr).toMatch(/^\$\{|^\d/);
  });
});

test('AKS (Cilium): the API server egress is a CiliumNetworkPolicy to the kube-apiserver entity', () => {
  const addons = stackOf(synthExample(AZURE_EXAMPLE).stacks, '-addons');
  const policy = resourcesOf(addons, 'kubernetes_manifest')
    .map(([, m]) => m.manifest)
    .find((m) => m.kind === 'CiliumNetworkPolicy' && m.metadata.namespace === 'rag-platform' && m.metadata.name === 'allow-orchestrator-to-api-server')!;
  expect(JSON.stringify(policy.spec)).toContain('kube-apiserver');
});
