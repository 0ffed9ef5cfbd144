import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';
import { buildEnvironment } from '../../apps/build';
import { loadEnvironment } from '../../lib/config/load';
import { leafPaths, Values } from '../../lib/kubernetes/values';
import { CHARTS, LOCAL_CHARTS } from '../../lib/versions';

// Upstream values.yaml of the pinned charts, kept in the repo (scripts/ci/chart-reference.sh compares them).
const REFERENCE = path.resolve(__dirname, '../fixtures/charts');
const ROOT = path.resolve(__dirname, '../..');

function build() {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'workloads-'));
  const env = buildEnvironment(loadEnvironment(path.join(ROOT, 'examples/gcc-uae-aws.yaml')), outdir);
  env.app.synth();
  const stackJson = (id: string) => JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', id, 'cdk.tf.json'), 'utf8'));
  return { env, json: stackJson(env.workloads.node.id), addons: stackJson(env.addons.node.id) };
}

const { env, json, addons } = build();
// The NVIDIA device plugin (checked against its values.yaml below) is an add-on: it is in the addons stack.
const releases: Record<string, any> = { ...addons.resource.helm_release, ...json.resource.helm_release };
const byName = (name: string) => Object.values(releases).find((r: any) => r.name === name) as any;
const valuesOf = (name: string) => JSON.parse(byName(name).values[0]);

/** Does `path` exist in the chart's values.yaml (or under a prefix the chart takes free-form)? */
function hasKey(doc: Values, keyPath: string[], freeForm: string[]): boolean {
  const joined = keyPath.join('.');
  if (freeForm.some((prefix) => joined === prefix || joined.startsWith(`${prefix}.`))) return true;
  let node: unknown = doc;
  for (const key of keyPath) {
    if (typeof node !== 'object' || node === null) return false;
    // A map the chart declares empty (`nodeSelector: {}`, `annotations: {}`) is free-form by design.
    if (!Array.isArray(node) && Object.keys(node).length === 0) return true;
    if (!(key in (node as object))) return false;
    node = (node as Record<string, unknown>)[key];
  }
  return true;
}

describe('workloads stack (AWS example)', () => {
  test('every release pins the version from lib/versions.ts', () => {
    expect(byName('qdrant').version).toBe(CHARTS.qdrant.version);
    expect(byName('langfuse').version).toBe(CHARTS.langfuse.version);
    expect(byName('litellm').version).toBe(CHARTS.litellm.version);
    expect(byName('tei').version).toBe(LOCAL_CHARTS.tei.version);
    expect(byName('orchestrator').version).toBe(LOCAL_CHARTS.orchestrator.version);
    for (const r of Object.values(releases)) {
      expect(r.version).toMatch(/^v?\d+\.\d+\.\d+$/);
      if (r.repository !== undefined) expect(r.repository).toBe('oci://111122223333.dkr.ecr.me-central-1.amazonaws.com/charts');
    }
  });

  test('local chart versions equal their Chart.yaml', () => {
    for (const local of Object.values(LOCAL_CHARTS)) {
      const chart = parse(fs.readFileSync(path.join(ROOT, local.directory, 'Chart.yaml'), 'utf8'));
      expect(chart.version).toBe(local.version);
    }
  });

  test('every image repository starts with the mirror', () => {
    const mirror = '111122223333.dkr.ecr.me-central-1.amazonaws.com/mirror';
    for (const r of Object.values(releases)) {
      const refs: string[] = [];
      const walk = (node: any, key?: string) => {
        if (node && typeof node === 'object' && !Array.isArray(node)) {
          if (key !== undefined && /image$/i.test(key) && typeof node.repository === 'string') {
            refs.push(node.registry ? `${node.registry}/${node.repository}` : node.repository);
            expect(node.tag).toBeTruthy();
          }
          for (const [k, v] of Object.entries(node)) walk(v, k);
        } else if (Array.isArray(node)) node.forEach((v) => walk(v));
      };
      walk(JSON.parse(r.values[0]));
      for (const ref of refs) expect(ref.startsWith(`${mirror}/`)).toBe(true);
    }
  });

  test('qdrant: cluster mode, encrypted storage, API keys by reference, PDB, service monitor', () => {
    const v = valuesOf('qdrant');
    expect(v.replicaCount).toBe(3);
    expect(v.config.cluster.enabled).toBe(true);
    expect(v.config.storage.collection.replication_factor).toBe(2);
    // Shards are set on the collections by the collection Job (test/components/qdrant-collections.test.ts).
    expect(v.persistence.storageClassName).toBe('encrypted');
    expect(v.apiKey).toBeUndefined(); // the chart would resolve it by Helm lookup at render time
    expect(v.env).toContainEqual({ name: 'QDRANT__SERVICE__API_KEY', valueFrom: { secretKeyRef: { name: 'qdrant-api-key', key: 'api-key' } } });
    expect(v.podDisruptionBudget.enabled).toBe(true);
    expect(v.metrics.serviceMonitor.enabled).toBe(true);
    expect(json.output).toBeUndefined(); // 20M vectors: no int8 advice
  });

  test('tei: GPU pool selector and toleration, pinned model, batch tokens', () => {
    const v = valuesOf('tei');
    expect(v.nodeSelector).toEqual({ 'rag.platform/pool': 'gpu', 'node.kubernetes.io/gpu-family': 'L4' });
    // The chart adds the GPU toleration itself (test/components/tei-model.test.ts covers the model source).
    expect(v.tolerations).toEqual([]);
    expect(v.model).toMatchObject({ id: 'BAAI/bge-m3', revision: '5617a9f61b028005a4858fdac845db406aefb181' });
    expect(v.server.maxBatchTokens).toBe(16384);
    expect(v.image.tag).toBe('89-1.9');
    // One GPU per replica is fixed in our chart's template.
    expect(fs.readFileSync(path.join(ROOT, 'charts/tei/templates/deployment.yaml'), 'utf8')).toContain('nvidia.com/gpu');
    expect(byName('tei').chart).toMatch(/^assets\//);
  });

  test('litellm: model list, deterministic fallbacks, existing db, helm migration hook', () => {
    const v = valuesOf('litellm');
    expect(v.proxy_config.model_list).toEqual([
      {
        model_name: 'gpt-4o',
        litellm_params: { model: 'azure/gpt-4o', api_base: 'https://uae-prod-openai.openai.azure.com', api_key: 'os.environ/AZURE_API_KEY', region_name: 'uaenorth' },
      },
      { model_name: 'claude-sonnet', litellm_params: { model: 'bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0', aws_region_name: 'me-central-1' } },
      // TEI behind LiteLLM: its OpenAI-compatible route, an embedding model, 1 USD per million input tokens.
      {
        model_name: 'embeddings',
        litellm_params: {
          model: 'openai/embeddings',
          api_base: 'http://tei.embeddings.svc.cluster.local:8080/v1',
          api_key: 'os.environ/EMBEDDINGS_NO_AUTH',
          input_cost_per_token: 0.000001,
          output_cost_per_token: 0,
        },
        model_info: { mode: 'embedding' },
      },
    ]);
    expect(v.envVars).toEqual({ EMBEDDINGS_NO_AUTH: 'tei-admits-only-litellm' });
    expect(v.proxy_config.router_settings.fallbacks).toEqual([{ 'gpt-4o': ['claude-sonnet'] }]);
    expect(v.db).toMatchObject({ useExisting: true, deployStandalone: false });
    expect(v.migrationJob.hooks.helm.enabled).toBe(true);
    expect(v.masterkeySecretName).toBe('litellm-master-key');
  });

  test('langfuse: secrets by reference, telemetry and sign-up off, blobs in the platform bucket', () => {
    const v = valuesOf('langfuse');
    expect(v.langfuse.salt).toEqual({ secretKeyRef: { name: 'langfuse-secrets', key: 'salt' } });
    expect(v.langfuse.features).toEqual({ telemetryEnabled: false, signUpDisabled: true });
    expect(v.s3.deploy).toBe(false);
    expect(v.s3.storageProvider).toBe('s3');
    // Its Postgres is a CloudNativePG Cluster (test/data/postgres-clusters.test.ts), not the bundled server.
    expect(v.postgresql.deploy).toBe(false);
    expect(v.postgresql.host).toBe('langfuse-db-rw.data.svc.cluster.local');
  });

  test('orchestrator: replicas, HPA, PDB, cluster DNS endpoints, tenant id required', () => {
    const v = valuesOf('orchestrator');
    expect(v.replicaCount).toBe(3);
    expect(v.autoscaling).toEqual({ enabled: true, maxReplicas: 12 });
    expect(v.podDisruptionBudget.minAvailable).toBe(2);
    expect(v.tenancy.requireTenantId).toBe(true);
    for (const url of Object.values(v.endpoints) as string[]) expect(url).toMatch(/\.svc\.cluster\.local:\d+$/);
  });

  test('deployment order: langfuse before qdrant before tei before litellm before orchestrator', () => {
    const order = ['langfuse', 'qdrant', 'tei', 'litellm', 'orchestrator'];
    for (let i = 1; i < order.length; i++) {
      const [prevId] = Object.entries(releases).find(([, r]) => r.name === order[i - 1])!;
      expect(byName(order[i]).depends_on).toContain(`helm_release.${prevId}`);
    }
  });

  test('no secret value in the synthesized JSON', () => {
    const text = JSON.stringify(json);
    expect(text).not.toMatch(/NoTaGrEaTpAsSwOrD|eXaMpLeOnLy|"password":\s*"[^"$]/);
    const externalSecrets = Object.values(json.resource.kubernetes_manifest).filter((m: any) => m.manifest.kind === 'ExternalSecret') as any[];
    expect(externalSecrets.length).toBeGreaterThan(5);
    for (const es of externalSecrets) {
      for (const d of es.manifest.spec.data) expect(d.remoteRef.key).toMatch(/^rag\/uae-prod-aws\/[a-z-]+\/[a-z-]+$/);
    }
  });

  // Keys the charts accept without declaring them in values.yaml, with the reason.
  const FREE_FORM: Record<string, string[]> = {
    // config is Qdrant's own config file (free-form map); apiKey/readOnlyApiKey/storageClassName are
    // documented in comments only; containerSecurityContext is rendered with toYaml.
    qdrant: ['config', 'apiKey', 'readOnlyApiKey', 'persistence.storageClassName', 'containerSecurityContext', 'additionalAnnotations'],
    // proxy_config is LiteLLM's config.yaml; db.deployStandalone is declared (kept explicit for clarity).
    litellm: ['proxy_config', 'db.deployStandalone'],
    // postgresql.image.registry is the postgres sub-chart's own key (groundhog2k postgres values.yaml), which
    // Langfuse's values.yaml does not echo; test/components/postgres-values.test.ts pins it.
    langfuse: ['postgresql.image.registry'],
    // affinity is rendered with toYaml (we replace the NFD terms with the gpu.present term).
    'nvidia-device-plugin': ['affinity'],
  };
  const reference: Record<string, string> = {
    qdrant: 'qdrant',
    litellm: 'litellm',
    langfuse: 'langfuse',
    'nvidia-device-plugin': 'nvidia-device-plugin',
  };
  test.each(Object.keys(reference))('every key set for %s exists in its values.yaml', (release) => {
    const doc = parse(fs.readFileSync(path.join(REFERENCE, reference[release], 'values.yaml'), 'utf8'));
    const missing = leafPaths(valuesOf(release)).filter((p) => !hasKey(doc, p, FREE_FORM[release] ?? []));
    expect(missing.map((p) => p.join('.'))).toEqual([]);
  });
  test.each(['tei', 'orchestrator'])('every key set for our chart %s exists in charts/%s/values.yaml', (release) => {
    const doc = parse(fs.readFileSync(path.join(ROOT, 'charts', release, 'values.yaml'), 'utf8'));
    const missing = leafPaths(valuesOf(release)).filter((p) => !hasKey(doc, p, ['nodeSelector', 'tolerations']));
    expect(missing.map((p) => p.join('.'))).toEqual([]);
  });

  test('the stack object exposes the components', () => {
    expect(env.workloads.qdrant.shards).toBe(6);
  });
});
