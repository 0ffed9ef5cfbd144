/**
 * "Isolation is everywhere or nowhere", from the synthesized JSON of every example: what each tenant
 * stack can reach is its own namespace, its own objects in the platform namespaces, its own secret paths
 * and the platform services, and never another tenant's.
 */
import { readdirSync } from 'fs';
import { resolve } from 'path';
import { synthExample } from '../helpers';
import { kubernetesMetadata, resources } from './synth';
import { PLATFORM_NAMESPACES } from '../../lib/tenancy/platform-contract';

const EXAMPLES_DIR = resolve(__dirname, '../../examples');
const EXAMPLES = readdirSync(EXAMPLES_DIR).filter((file) => file.endsWith('.yaml')).sort();
const PLATFORM = new Set<string>(Object.values(PLATFORM_NAMESPACES));
const OWN_NAMESPACE = /^\$\{kubernetes_namespace_v1\.[^.]+\.metadata\[0\]\.name\}$/;
const NAME_LABEL = 'kubernetes.io/metadata.name';

const tenantOf = (stackName: string) => stackName.slice(stackName.indexOf('-tenant-') + '-tenant-'.length);
const secretPrefix = (tenantId: string) => new RegExp(`^rag[/-].+[/-]tenants[/-]${tenantId}[/-][^/]+$`);

describe.each(EXAMPLES)('tenant reachability: %s', (example) => {
  let tenants: Array<[string, any]>;
  beforeAll(() => {
    const { stacks } = synthExample(resolve(EXAMPLES_DIR, example));
    tenants = Object.entries(stacks).filter(([name]) => name.includes('-tenant-'));
  });

  test('namespaces: objects live in the tenant namespace, or in a platform namespace named and labelled for the tenant', () => {
    expect(tenants.length).toBeGreaterThan(1);
    for (const [name, stack] of tenants) {
      const tenantId = tenantOf(name);
      const namespaces = resources(stack, 'kubernetes_namespace_v1');
      expect(namespaces.map((ns) => ns.metadata.name)).toEqual([`tenant-${tenantId}`]);
      for (const { metadata } of kubernetesMetadata(stack).filter(({ type }) => type !== 'kubernetes_namespace_v1')) {
        expect(metadata.labels?.tenant_id).toBe(tenantId);
        if (!OWN_NAMESPACE.test(metadata.namespace)) {
          expect(PLATFORM.has(metadata.namespace)).toBe(true);
          expect(metadata.name.startsWith(`tenant-${tenantId}-`)).toBe(true);
        }
      }
    }
  });

  test('network: the only ingress into the tenant namespace is Prometheus to its own workers metrics port; egress peers are DNS and platform namespaces only', () => {
    for (const [name, stack] of tenants) {
      const policies = resources(stack, 'kubernetes_network_policy_v1').filter((policy) => OWN_NAMESPACE.test(policy.metadata.namespace));
      expect(policies.some((policy) => policy.spec.policy_types.includes('Ingress') && policy.spec.ingress === undefined)).toBe(true);
      for (const policy of policies) {
        for (const rule of policy.spec.ingress ?? []) {
          expect(policy.spec.pod_selector.match_labels).toEqual({ tenant_id: tenantOf(name), 'app.kubernetes.io/component': 'ingestion-worker' });
          expect(rule.from).toEqual([{ namespace_selector: { match_labels: { [NAME_LABEL]: PLATFORM_NAMESPACES.observability } }, pod_selector: { match_labels: { 'app.kubernetes.io/name': 'prometheus' } } }]);
          expect(rule.ports).toEqual([{ protocol: 'TCP', port: '9090' }]);
        }
        for (const rule of policy.spec.egress ?? []) {
          expect(rule.to.length).toBeGreaterThan(0);
          for (const peer of rule.to) {
            expect(peer.ip_block).toBeUndefined();
            const target = peer.namespace_selector?.match_labels?.[NAME_LABEL];
            expect(target === 'kube-system' || PLATFORM.has(target)).toBe(true);
          }
        }
      }
      // The tenant's provisioning Jobs in platform namespaces: only the tenant's own pods are selected.
      for (const policy of resources(stack, 'kubernetes_network_policy_v1').filter((p) => !OWN_NAMESPACE.test(p.metadata.namespace))) {
        expect(policy.spec.pod_selector.match_labels.tenant_id).toBe(policy.metadata.labels.tenant_id);
        for (const peer of (policy.spec.egress ?? []).flatMap((rule: any) => rule.to)) {
          expect(peer.ip_block).toBeUndefined();
        }
      }
    }
  });

  test('secrets: every path a tenant stack reads or writes is under its own prefix', () => {
    for (const [name, stack] of tenants) {
      const tenantId = tenantOf(name);
      const objects = resources(stack, 'kubernetes_manifest').map((r) => r.manifest);
      const read = objects.filter((m) => m.kind === 'ExternalSecret').flatMap((m) => m.spec.data.map((entry: any) => entry.remoteRef.key));
      const written = objects.filter((m) => m.kind === 'PushSecret').flatMap((m) => m.spec.data.map((entry: any) => entry.match.remoteRef.remoteKey));
      expect(read.length).toBeGreaterThan(0);
      expect(written.length).toBeGreaterThan(0);
      for (const path of [...read, ...written]) {
        expect(path).toMatch(secretPrefix(tenantId));
      }
      expect(objects.some((m) => m.kind === 'ExternalSecret' && m.spec.dataFrom !== undefined)).toBe(false);
    }
  });
});
