/**
 * The tenant stacks reach the workloads stack by name only (lib/tenancy/platform-contract.ts). This
 * synthesizes the AWS example and checks every name and port of that contract against what the
 * workloads stack actually creates, so the two sides cannot drift apart silently.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import {
  EMBEDDINGS_MODEL,
  endpointUrl,
  LITELLM_MASTER_KEY_SECRET,
  ORCHESTRATOR_SERVICE_ACCOUNT,
  PLATFORM_ENDPOINTS,
  PLATFORM_NAMESPACES,
  PLATFORM_SECRET_STORE,
  PlatformEndpoint,
  QUEUE_ADMIN_SECRET,
} from '../../lib/tenancy/platform-contract';
import { NAMESPACES } from '../../lib/kubernetes/namespaces';
import { PORTS } from '../../lib/kubernetes/network-policies';
import { CHARTS } from '../../lib/versions';
import { exampleStacks, resources } from './synth';

const ENV = 'uae-prod-aws';
const MOH = `${ENV}-tenant-ministry-health`;
// Upstream values.yaml of the pinned charts, kept in the repo (scripts/ci/chart-reference.sh compares them).
const REFERENCE = path.resolve(__dirname, '../fixtures/charts');
const ROOT = path.resolve(__dirname, '../..');

const stacks = exampleStacks();
const workloads = stacks[`${ENV}-workloads`];
const tenant = stacks[MOH];
const releases = resources(workloads, 'helm_release');
const releaseOf = (endpoint: PlatformEndpoint) => releases.find((r) => r.name === endpoint.service && r.namespace === endpoint.namespace);
const valuesOf = (endpoint: PlatformEndpoint) => JSON.parse(releaseOf(endpoint).values[0]);
const manifests = resources(workloads, 'kubernetes_manifest').map((m) => m.manifest);
// Namespaces and their network policies are created by the addons stack, before the workloads.
const addons = stacks[`${ENV}-addons`];
const policies = resources(addons, 'kubernetes_network_policy_v1');
const ports = (rule: any) => (rule.ports ?? []).map((p: any) => Number(p.port)).sort((a: number, b: number) => a - b);
const sorted = (list: readonly number[]) => [...list].sort((a, b) => a - b);
const tenantNamespace = resources(tenant, 'kubernetes_namespace_v1')[0].metadata;
const matches = (selector: Record<string, string>, labels: Record<string, string>) => Object.entries(selector).every(([k, v]) => labels[k] === v);

/** Ingress policies in the endpoint's namespace that admit pods of every tenant namespace (selected by label). */
function tenantIngress(endpoint: PlatformEndpoint) {
  return policies.filter(
    (p) =>
      p.metadata.namespace === endpoint.namespace &&
      p.spec.policy_types.includes('Ingress') &&
      (p.spec.ingress ?? []).some((rule: any) => (rule.from ?? []).some((from: any) => from.namespace_selector?.match_labels && matches(from.namespace_selector.match_labels, tenantNamespace.labels))),
  );
}

describe('tenant/workloads contract (AWS example)', () => {
  test('the platform namespaces exist in the addons stack', () => {
    const created = resources(addons, 'kubernetes_namespace_v1').map((n) => n.metadata.name);
    for (const ns of Object.values(PLATFORM_NAMESPACES)) expect(created).toContain(ns);
  });

  test.each(Object.entries(PLATFORM_ENDPOINTS))('endpoint %s: a helm release of that name in that namespace', (_, endpoint) => {
    expect(releaseOf(endpoint)).toBeDefined();
    expect(NAMESPACES.find((n) => n.name === endpoint.namespace)?.defaultDeny).toBe(true);
  });

  test.each(Object.entries(PLATFORM_ENDPOINTS))('endpoint %s: tenant namespaces are admitted on exactly its ports, to its pods', (_, endpoint) => {
    const admitted = tenantIngress(endpoint);
    expect(admitted).toHaveLength(1);
    const [policy] = admitted;
    expect(ports(policy.spec.ingress[0])).toEqual(sorted(endpoint.ports));
    // The selected pods are the release's (instance or name label = release name).
    expect(Object.values(policy.spec.pod_selector.match_labels)).toContain(endpoint.service);
    // And the tenant side egresses to that namespace on the same ports.
    const egress = resources(tenant, 'kubernetes_network_policy_v1').find((p) => p.metadata.name === 'allow-platform-services');
    const rule = egress.spec.egress.find((r: any) => r.to[0].namespace_selector.match_labels['kubernetes.io/metadata.name'] === endpoint.namespace);
    expect(ports(rule)).toEqual(sorted(endpoint.ports));
  });

  test('tenant ingress is allowed to nothing else in the platform namespaces', () => {
    const all = Object.values(PLATFORM_ENDPOINTS).flatMap((endpoint) => tenantIngress(endpoint).map((p) => p.metadata.name));
    const anyTenantIngress = policies
      .filter((p) => p.spec.policy_types.includes('Ingress') && JSON.stringify(p.spec).includes('rag.platform/tenant'))
      .map((p) => p.metadata.name);
    expect(anyTenantIngress.sort()).toEqual(all.sort());
  });

  test('metrics: Prometheus may leave for the tenant namespaces on exactly the port the tenant admits it on, to the workers it scrapes', () => {
    const egress = policies.find((p) => p.metadata.name === 'allow-prometheus-to-tenants-egress');
    const admit = resources(tenant, 'kubernetes_network_policy_v1').find((p) => p.metadata.name === 'allow-prometheus-to-metrics');
    expect(ports(admit.spec.ingress[0])).toEqual(ports(egress.spec.egress[0]));
    expect(admit.spec.ingress[0].from[0].pod_selector).toEqual(egress.spec.pod_selector);
    expect(admit.spec.ingress[0].from[0].namespace_selector.match_labels['kubernetes.io/metadata.name']).toBe(egress.metadata.namespace);
    // The tenant namespace carries the label the platform's egress selects.
    const [namespace] = resources(tenant, 'kubernetes_namespace_v1');
    expect(namespace.metadata.labels).toMatchObject(egress.spec.egress[0].to[0].namespace_selector.match_labels);
    const [deployment] = resources(tenant, 'kubernetes_deployment_v1');
    const metricsPort = deployment.spec.template.spec.container[0].port.find((p: any) => p.name === 'metrics');
    expect(ports(admit.spec.ingress[0])).toEqual([metricsPort.container_port]);
  });

  test('metrics: the orchestrator serves them on their own port, which its ServiceMonitor scrapes and Prometheus may reach', () => {
    const orchestrator = valuesOf(PLATFORM_ENDPOINTS.orchestrator);
    expect(orchestrator.serviceMonitor).toEqual({ enabled: true });
    expect(PLATFORM_ENDPOINTS.orchestrator.ports).not.toContain(orchestrator.metricsPort);
    const ingress = policies.find((p) => p.metadata.namespace === 'rag-platform' && p.metadata.name === 'allow-prometheus-to-orchestrator-ingress');
    expect(ports(ingress.spec.ingress[0])).toEqual([orchestrator.metricsPort]);
  });

  test('container and Service ports of our charts are the contract ports', () => {
    const orchestrator = valuesOf(PLATFORM_ENDPOINTS.orchestrator);
    expect([orchestrator.containerPort]).toEqual([...PLATFORM_ENDPOINTS.orchestrator.ports]);
    expect(orchestrator.service.port).toBe(PLATFORM_ENDPOINTS.orchestrator.servicePort);
    // TEI is not a tenant endpoint (only LiteLLM reaches it): LiteLLM's embeddings model points at its Service port.
    const tei = valuesOf({ namespace: PLATFORM_NAMESPACES.embeddings, service: 'tei', ports: [], servicePort: 0 });
    expect(tei.server.port).toBe(PORTS.teiHttp);
    const embeddings = valuesOf(PLATFORM_ENDPOINTS.litellm).proxy_config.model_list.find((m: any) => m.model_name === EMBEDDINGS_MODEL);
    expect(embeddings.litellm_params.api_base).toBe(`http://tei.${PLATFORM_NAMESPACES.embeddings}.svc.cluster.local:${tei.service.port}/v1`);
    // The orchestrator's Ingress goes to the same Service port.
    const [ingress] = resources(workloads, 'kubernetes_ingress_v1');
    expect(ingress.spec.default_backend.service.port.number).toBe(PLATFORM_ENDPOINTS.orchestrator.servicePort);
  });

  test('third-party charts serve the contract ports (their values.yaml, not overridden)', () => {
    const qdrant = parse(fs.readFileSync(path.join(REFERENCE, 'qdrant', 'values.yaml'), 'utf8'));
    const qdrantPorts = qdrant.service.ports.filter((p: any) => ['http', 'grpc'].includes(p.name));
    expect(qdrantPorts.map((p: any) => p.targetPort)).toEqual([...PLATFORM_ENDPOINTS.qdrant.ports]);
    expect(qdrantPorts[0].port).toBe(PLATFORM_ENDPOINTS.qdrant.servicePort);
    expect(valuesOf(PLATFORM_ENDPOINTS.qdrant).service).toBeUndefined();
    const litellm = parse(fs.readFileSync(path.join(REFERENCE, 'litellm', 'values.yaml'), 'utf8'));
    expect([litellm.service.port]).toEqual([...PLATFORM_ENDPOINTS.litellm.ports]);
    expect(valuesOf(PLATFORM_ENDPOINTS.litellm).service).toBeUndefined();
    // The queue: the pinned valkey chart (service.port 6379 = container port by default), not overridden.
    const queue = releaseOf(PLATFORM_ENDPOINTS.queue);
    expect(queue.chart).toBe(CHARTS.valkey.chart);
    expect(valuesOf(PLATFORM_ENDPOINTS.queue).service).toBeUndefined();
    expect(PLATFORM_ENDPOINTS.queue.ports).toEqual([6379]);
  });

  test('the ingestion queue is its own Valkey, not LiteLLM\'s', () => {
    expect(PLATFORM_ENDPOINTS.queue.service).not.toBe('litellm-valkey');
    const litellmProvider = manifests.find((m) => m.kind === 'ExternalSecret' && m.metadata.name === 'litellm-provider-env');
    expect(litellmProvider.spec.target.template.data.REDIS_HOST).not.toContain(PLATFORM_ENDPOINTS.queue.service);
  });

  test('secrets and identities the tenant stacks name exist in the workloads stack', () => {
    expect(manifests.some((m) => m.kind === 'ClusterSecretStore' && m.metadata.name === PLATFORM_SECRET_STORE)).toBe(true);
    const store = manifests.find((m) => m.kind === 'ClusterSecretStore');
    // The tenant stacks' ExternalSecrets/PushSecrets in llm-gateway and data use that store.
    expect(store.spec.conditions[0].namespaces).toEqual(expect.arrayContaining([PLATFORM_NAMESPACES.llmGateway, PLATFORM_NAMESPACES.data]));
    for (const [secret, namespace] of [
      [LITELLM_MASTER_KEY_SECRET, PLATFORM_NAMESPACES.llmGateway],
      [QUEUE_ADMIN_SECRET, PLATFORM_NAMESPACES.data],
    ] as const) {
      const es = manifests.find((m) => m.kind === 'ExternalSecret' && m.metadata.name === secret.name);
      expect(es?.metadata.namespace).toBe(namespace);
      expect(es.spec.target.name).toBe(secret.name);
      expect(es.spec.data.map((d: any) => d.secretKey)).toContain(secret.key);
    }
    // The orchestrator chart names its ServiceAccount after the release unless told otherwise.
    const orchestrator = releases.find((r) => r.name === ORCHESTRATOR_SERVICE_ACCOUNT.name && r.namespace === ORCHESTRATOR_SERVICE_ACCOUNT.namespace);
    expect(orchestrator).toBeDefined();
    expect(JSON.parse(orchestrator.values[0]).serviceAccount?.name).toBeUndefined();
    const chartValues = parse(fs.readFileSync(path.join(ROOT, 'charts/orchestrator/values.yaml'), 'utf8'));
    expect(chartValues.serviceAccount).toMatchObject({ create: true, name: '' });
  });

  test('tenant provisioning Jobs carry the labels the platform policies admit', () => {
    const jobs = resources(tenant, 'kubernetes_job_v1');
    for (const job of jobs) {
      const labels = job.spec.template.metadata.labels;
      const admitted = policies.filter(
        (p) => p.metadata.namespace === job.metadata.namespace && p.spec.policy_types.includes('Egress') && matches(p.spec.pod_selector.match_labels ?? {}, labels) && Object.keys(p.spec.pod_selector.match_labels ?? {}).length > 0,
      );
      expect(admitted.map((p) => p.metadata.name)).toHaveLength(1);
      const target = admitted[0].spec.egress[0].to[0].pod_selector.match_labels;
      // ...and the target admits them back (ingress policy in the same namespace).
      const ingress = policies.find(
        (p) => p.metadata.namespace === job.metadata.namespace && p.spec.policy_types.includes('Ingress') && matches(p.spec.pod_selector.match_labels, target) && (p.spec.ingress ?? []).some((r: any) => (r.from ?? []).some((f: any) => f.pod_selector && matches(f.pod_selector.match_labels, labels))),
      );
      expect(ingress).toBeDefined();
    }
    // The queue ACL Job in data; the LLM key's and the embeddings key's Jobs in llm-gateway.
    expect(jobs.map((j) => j.metadata.namespace).sort()).toEqual(['data', 'llm-gateway', 'llm-gateway']);
  });

  test('URLs the tenant stacks dial use the Service ports', () => {
    expect(endpointUrl(PLATFORM_ENDPOINTS.orchestrator)).toBe('http://orchestrator.rag-platform.svc.cluster.local:80');
    expect(endpointUrl(PLATFORM_ENDPOINTS.litellm)).toBe('http://litellm.llm-gateway.svc.cluster.local:4000');
    const scaled = resources(tenant, 'kubernetes_manifest').find((m) => m.manifest.kind === 'ScaledObject').manifest;
    expect(scaled.spec.triggers[0].metadata.address).toBe('ingestion-valkey.data.svc.cluster.local:6379');
  });
});
