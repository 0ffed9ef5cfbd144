/**
 * The embedding budget cap is enforced where embeddings are made, for every tenant of every example: each
 * tenant has a LiteLLM key for embeddings only whose budget is its monthly token cap at the internal price,
 * its workers and the orchestrator embed through LiteLLM with it, and TEI admits nothing but LiteLLM.
 */
import { readdirSync } from 'fs';
import { resolve } from 'path';
import { loadEnvironment } from '../../lib/config/load';
import { synthExample } from '../helpers';
import { resources } from './synth';
import { EMBEDDINGS_MODEL, PLATFORM_NAMESPACES } from '../../lib/tenancy/platform-contract';
import { EMBEDDINGS_USD_PER_MILLION_TOKENS } from '../../lib/components/litellm';

const EXAMPLES_DIR = resolve(__dirname, '../../examples');
const EXAMPLES = readdirSync(EXAMPLES_DIR).filter((file) => file.endsWith('.yaml')).sort();
const NAME_LABEL = 'kubernetes.io/metadata.name';

describe.each(EXAMPLES)('embeddings cap: %s', (example) => {
  const config = loadEnvironment(resolve(EXAMPLES_DIR, example));
  const { stacks } = synthExample(resolve(EXAMPLES_DIR, example));
  const stackOf = (suffix: string) => Object.entries<any>(stacks).find(([name]) => name.endsWith(suffix))![1];

  test.each(config.tenants.map((t) => [t.id, t.embeddings.monthlyTokenCap] as const))('tenant %s: an embeddings-only key with budget = cap x price', (tenantId, cap) => {
    const stack = stackOf(`-tenant-${tenantId}`);
    const spec = resources(stack, 'kubernetes_config_map_v1').find((c) => c.metadata.name === `tenant-${tenantId}-embeddings`);
    expect(spec.metadata.namespace).toBe(PLATFORM_NAMESPACES.llmGateway);
    const key = JSON.parse(spec.data['tenant.json']);
    expect(key).toEqual({
      key: {
        key_alias: `${tenantId}-embeddings`,
        models: [EMBEDDINGS_MODEL],
        max_budget: (cap / 1_000_000) * EMBEDDINGS_USD_PER_MILLION_TOKENS,
        budget_duration: '30d',
        metadata: { tenant_id: tenantId, environment: config.name, purpose: 'embeddings' },
      },
    });
    // Its provisioning Job runs the shared script with the key pushed under the tenant's prefix.
    const job = resources(stack, 'kubernetes_job_v1').find((j) => j.metadata.name.startsWith(`tenant-${tenantId}-embeddings-`));
    const env = job.spec.template.spec.container[0].env;
    expect(env.find((e: any) => e.name === 'TENANT_KEY').value_from.secret_key_ref.name).toBe(`tenant-${tenantId}-embeddings-key`);
    const push = resources(stack, 'kubernetes_manifest').find((m) => m.manifest.kind === 'PushSecret' && m.manifest.metadata.name.startsWith(`tenant-${tenantId}-embeddings-key`));
    expect(push.manifest.spec.data[0].match.remoteRef.remoteKey).toMatch(new RegExp(`tenants[/-]${tenantId}[/-]litellm-embeddings-key$`));

    // The tenant's workers get the key and embed through LiteLLM, never TEI.
    const credentials = resources(stack, 'kubernetes_manifest').find((m) => m.manifest.kind === 'ExternalSecret' && m.manifest.metadata.name === 'tenant-credentials');
    expect(credentials.manifest.spec.target.template.data.LITELLM_EMBEDDINGS_API_KEY).toBe('sk-{{ .litellmEmbeddingsKey }}');
    const [worker] = resources(stack, 'kubernetes_deployment_v1');
    const workerEnv = Object.fromEntries(worker.spec.template.spec.container[0].env.map((e: any) => [e.name, e.value ?? e.value_from.secret_key_ref.key]));
    expect(workerEnv).toMatchObject({
      EMBEDDINGS_URL: 'http://litellm.llm-gateway.svc.cluster.local:4000',
      EMBEDDINGS_MODEL,
      LITELLM_EMBEDDINGS_API_KEY: 'LITELLM_EMBEDDINGS_API_KEY',
    });
    expect(workerEnv.TEI_URL).toBeUndefined();
    // No egress of the tenant namespace to TEI's namespace.
    const peers = resources(stack, 'kubernetes_network_policy_v1').flatMap((p) => (p.spec.egress ?? []).flatMap((rule: any) => rule.to));
    expect(peers.map((peer: any) => peer.namespace_selector?.match_labels?.[NAME_LABEL])).not.toContain(PLATFORM_NAMESPACES.embeddings);
  });

  test('TEI admits LiteLLM on its API port and Prometheus on its metrics port, nobody else', () => {
    const addons = stackOf('-addons');
    const rules = resources(addons, 'kubernetes_network_policy_v1')
      .filter((p) => p.metadata.namespace === PLATFORM_NAMESPACES.embeddings)
      .flatMap((p) => (p.spec.ingress ?? []).map((rule: any) => ({ selected: p.spec.pod_selector.match_labels, rule })))
      .filter(({ selected }) => selected?.['app.kubernetes.io/name'] === 'tei');
    const admitted = rules
      .flatMap(({ rule }) => rule.from.map((peer: any) => `${peer.namespace_selector?.match_labels?.[NAME_LABEL]}/${peer.pod_selector?.match_labels?.['app.kubernetes.io/name']}:${rule.ports.map((p: any) => p.port).join(',')}`))
      .sort();
    expect(admitted).toEqual(['llm-gateway/litellm:8080', 'observability/prometheus:9000']);
  });

  test('the orchestrator embeds through LiteLLM: its values name LiteLLM and the model, not TEI', () => {
    const workloads = stackOf('-workloads');
    const orchestrator = resources(workloads, 'helm_release').find((r) => r.name === 'orchestrator');
    const values = JSON.parse(orchestrator.values[0]);
    expect(values.endpoints.embeddingsUrl).toBe('http://litellm.llm-gateway.svc.cluster.local:4000');
    expect(values.endpoints.teiUrl).toBeUndefined();
    expect(values.embeddingsModel).toBe(EMBEDDINGS_MODEL);
    const litellm = JSON.parse(resources(workloads, 'helm_release').find((r) => r.name === 'litellm').values[0]);
    expect(litellm.proxy_config.model_list.filter((m: any) => m.model_name === EMBEDDINGS_MODEL)).toEqual([
      expect.objectContaining({ model_info: { mode: 'embedding' }, litellm_params: expect.objectContaining({ api_base: 'http://tei.embeddings.svc.cluster.local:8080/v1' }) }),
    ]);
  });
});
