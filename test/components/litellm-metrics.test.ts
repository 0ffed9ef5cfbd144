import { AWS_EXAMPLE, resourcesOf, synthExample } from '../helpers';
import { AZURE_EXAMPLE } from '../azure/helpers';
import { LITELLM_MASTER_KEY_SECRET } from '../../lib/components/litellm';
import { LITELLM_METRICS_KEY_SECRET, METRICS_KEY_ROUTES } from '../../lib/components/litellm-metrics';

/**
 * LiteLLM serves /metrics/ on the port every tenant reaches. It must check the caller's key there, and
 * Prometheus must read it with a key that can do nothing else: never the master key, which would put the
 * gateway's admin credential into Prometheus's configuration.
 */

const stackOf = (stacks: Record<string, any>, suffix: string) => Object.entries(stacks).find(([name]) => name.endsWith(suffix))![1];
const manifests = (stack: any) => resourcesOf(stack, 'kubernetes_manifest').map(([name, m]) => ({ name, ...m.manifest }));

describe.each([
  ['AWS example', AWS_EXAMPLE],
  ['Azure example', AZURE_EXAMPLE],
])('%s', (_label, example) => {
  const { stacks } = synthExample(example);
  const workloads = stackOf(stacks, '-workloads');
  const addons = stackOf(stacks, '-addons');
  const [releaseName, release] = resourcesOf(workloads, 'helm_release').find(([, r]) => r.name === 'litellm')!;
  const values = JSON.parse(release.values[0]);
  const monitors = Object.values(stacks).flatMap((stack) => manifests(stack)).filter((m) => m.kind === 'ServiceMonitor' || m.kind === 'PodMonitor');
  const [jobName, job] = resourcesOf(workloads, 'kubernetes_job_v1').find(([, j]) => j.metadata.name.startsWith(`${LITELLM_METRICS_KEY_SECRET.name}-`))!;

  test("LiteLLM checks the key on /metrics (not left to the version's default); the chart's master-key ServiceMonitor is off", () => {
    expect(values.proxy_config.litellm_settings.require_auth_for_metrics_endpoint).toBe(true);
    expect(values.serviceMonitor.enabled).toBe(false);
  });

  test('one ServiceMonitor scrapes LiteLLM, with the metrics key, and no monitor anywhere reads the master key', () => {
    const litellm = monitors.filter((m) => m.kind === 'ServiceMonitor' && m.spec.selector.matchLabels['app.kubernetes.io/name'] === 'litellm');
    expect(litellm).toHaveLength(1);
    expect(litellm[0].metadata.namespace).toBe('llm-gateway');
    expect(litellm[0].spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'litellm', 'app.kubernetes.io/instance': 'litellm' });
    expect(litellm[0].spec.endpoints).toEqual([
      expect.objectContaining({ port: 'http', path: '/metrics/', authorization: { type: 'Bearer', credentials: { ...LITELLM_METRICS_KEY_SECRET } } }),
    ]);
    const credentialNames = monitors.flatMap((m) => [...(m.spec.endpoints ?? []), ...(m.spec.podMetricsEndpoints ?? [])]).flatMap((e: any) => [e.authorization?.credentials?.name, e.bearerTokenSecret?.name]);
    expect(credentialNames).not.toContain(LITELLM_MASTER_KEY_SECRET.name);
  });

  test('the scrape Secret is the generated litellm/metrics-key with the sk- prefix, never the master key', () => {
    const secret = manifests(workloads).find((m) => m.kind === 'ExternalSecret' && m.metadata.name === LITELLM_METRICS_KEY_SECRET.name)!;
    expect(secret.metadata.namespace).toBe('llm-gateway');
    expect(secret.spec.data).toEqual([{ secretKey: 'value', remoteRef: { key: expect.stringMatching(/^rag[/-]uae-prod-\w+[/-]litellm[/-]metrics-key$/) } }]);
    expect(secret.spec.target.template.data).toEqual({ [LITELLM_METRICS_KEY_SECRET.key]: 'sk-{{ .value }}' });
    const generators = manifests(workloads).filter((m) => m.kind === 'PushSecret' && m.metadata.name === 'litellm-metrics-key');
    expect(generators).toHaveLength(1);
  });

  test('the Job gives the key exactly the metrics routes (no models, no team), after the LiteLLM release; the ServiceMonitor after the Job', () => {
    const spec = JSON.parse(resourcesOf(workloads, 'kubernetes_config_map_v1').find(([, c]) => c.metadata.name === LITELLM_METRICS_KEY_SECRET.name)![1].data['key.json']);
    expect(spec).toEqual({ key: { key_alias: 'platform-metrics-scraper', allowed_routes: [...METRICS_KEY_ROUTES], metadata: expect.any(Object) } });
    expect(METRICS_KEY_ROUTES).toEqual(['/metrics', '/key/info']);
    expect(job.depends_on).toContain(`helm_release.${releaseName}`);
    const env = Object.fromEntries(job.spec.template.spec.container[0].env.map((e: any) => [e.name, e.value ?? e.value_from.secret_key_ref]));
    expect(env.LITELLM_MASTER_KEY).toEqual({ name: LITELLM_MASTER_KEY_SECRET.name, key: LITELLM_MASTER_KEY_SECRET.key });
    expect(env.TENANT_KEY).toEqual({ name: LITELLM_METRICS_KEY_SECRET.name, key: LITELLM_METRICS_KEY_SECRET.key });
    expect(env.LITELLM_URL).toBe('http://litellm.llm-gateway.svc.cluster.local:4000');
    const monitor = resourcesOf(workloads, 'kubernetes_manifest').find(([, m]) => m.manifest.kind === 'ServiceMonitor' && m.manifest.metadata.name === 'litellm-metrics')![1];
    expect(monitor.depends_on).toEqual([`kubernetes_job_v1.${jobName}`]);
  });

  test("the Job's pods may reach LiteLLM's port and nothing else; LiteLLM admits them", () => {
    const podLabels = job.spec.template.metadata.labels;
    const policies = resourcesOf(addons, 'kubernetes_network_policy_v1').map(([, p]) => p);
    const selects = (p: any) => Object.entries(p.spec.pod_selector.match_labels ?? {}).every(([k, v]) => podLabels[k] === v) && Object.keys(p.spec.pod_selector.match_labels ?? {}).length > 0;
    const egress = policies.filter((p) => p.metadata.namespace === 'llm-gateway' && p.spec.policy_types.includes('Egress') && selects(p));
    expect(egress.map((p) => p.metadata.name)).toEqual(['allow-litellm-metrics-key-to-litellm-egress']);
    expect(egress[0].spec.egress[0].ports).toEqual([{ port: '4000', protocol: 'TCP' }]);
    const ingress = policies.find((p) => p.metadata.name === 'allow-litellm-metrics-key-to-litellm-ingress')!;
    expect(ingress.spec.ingress[0].from[0].pod_selector.match_labels).toEqual(podLabels);
  });
});
