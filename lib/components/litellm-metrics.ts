import { createHash } from 'crypto';
import { Construct } from 'constructs';
import { ITerraformDependable } from 'cdktf';
import { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1';
import { JobV1 } from '../kubernetes/resources';
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { SecretStoreInfo } from '../cluster/cluster-info';
import { ExternalSecret } from '../kubernetes/external-secret';
import { NS } from '../kubernetes/namespaces';
import { PODS } from '../kubernetes/network-policies';
import { LITELLM_PROVISION_SCRIPT } from '../tenancy/litellm-provision-script';
import { pythonSpecJobPod } from '../tenancy/python-spec-job';

/** The Secret (in `llm-gateway`) Prometheus reads the scrape key from: `key` = `sk-<litellm/metrics-key>`. */
export const LITELLM_METRICS_KEY_SECRET = { name: 'litellm-metrics-key', key: 'key' } as const;

/**
 * The only routes the scrape key may call. `/metrics` covers the `/metrics/` Prometheus scrapes (LiteLLM
 * matches an allowed route exactly or as a `<route>/` prefix); `/key/info` is how the provisioning script
 * asks LiteLLM whether the key already exists, authenticated as the key itself. Every other route,
 * completions and embeddings included, answers 403 for this key.
 */
export const METRICS_KEY_ROUTES = ['/metrics', '/key/info'] as const;

/** `key_alias` of the scrape key in LiteLLM's database. */
export const METRICS_KEY_ALIAS = 'platform-metrics-scraper';

/** How often Prometheus scrapes LiteLLM. */
const SCRAPE_INTERVAL = '30s';

export interface LitellmMetricsScrapeProps {
  readonly store: SecretStoreInfo;
  readonly environment: string;
  /** LiteLLM's pod and Service labels (the chart's selector labels). */
  readonly selector: Readonly<Record<string, string>>;
  /** The Secret holding LiteLLM's master key, which creates the scrape key. */
  readonly masterKeySecret: { readonly name: string; readonly key: string };
  /** LiteLLM's in-cluster URL. */
  readonly litellmUrl: string;
  /** `<mirror>/<python image>:<tag>` (standard library only). */
  readonly image: string;
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * How Prometheus reads LiteLLM's `/metrics/` without holding LiteLLM's master key. LiteLLM 1.85 serves its
 * metrics on the proxy port that every tenant reaches, behind its own key check
 * (`require_auth_for_metrics_endpoint`, set explicitly in the proxy config): a tenant's virtual key is
 * refused there (it is not an LLM route), the master key is accepted. The chart's own ServiceMonitor
 * would scrape with the master key, putting the admin credential of the gateway into Prometheus's
 * generated configuration; this replaces it with a virtual key that can read the metrics and nothing else:
 *  1. `key-secret`: an ExternalSecret brings the generated catalog entry `litellm/metrics-key` into
 *     `llm-gateway` as `sk-<value>` (the value is born in-cluster; lib/kubernetes/generated-secrets.ts);
 *  2. `spec` + `job`: the tenant keys' provisioning script (LITELLM_PROVISION_SCRIPT) creates or updates the
 *     key through the admin API with `allowed_routes` METRICS_KEY_ROUTES (only an admin may set them);
 *     the Job is named by the hash of spec and script, so it re-runs only when either changes;
 *  3. `service-monitor`: the ServiceMonitor, scraping port `http` at `/metrics/` with that key as bearer
 *     token (`authorization.credentials`, read by the Prometheus operator in this namespace).
 */
export class LitellmMetricsScrape extends Construct {
  readonly spec: Record<string, unknown>;
  readonly job: JobV1;
  readonly serviceMonitor: Manifest;

  constructor(scope: Construct, id: string, props: LitellmMetricsScrapeProps) {
    super(scope, id);
    const namespace = NS.llmGateway;
    const labels = { ...PODS.litellmMetricsKey.pods };
    const keySecret = new ExternalSecret(this, 'key-secret', {
      store: props.store,
      environment: props.environment,
      component: 'litellm',
      namespace,
      secretName: LITELLM_METRICS_KEY_SECRET.name,
      data: { value: 'metrics-key' },
      // LiteLLM takes a virtual key only with its `sk-` prefix; the store holds the bare value.
      templates: { [LITELLM_METRICS_KEY_SECRET.key]: 'sk-{{ .value }}' },
      dependsOn: props.dependsOn,
    });

    this.spec = {
      key: {
        key_alias: METRICS_KEY_ALIAS,
        allowed_routes: [...METRICS_KEY_ROUTES],
        metadata: { purpose: 'Prometheus scrape of /metrics/', environment: props.environment },
      },
    };
    const specJson = JSON.stringify(this.spec, null, 2);
    const configMap = new ConfigMapV1(this, 'spec', {
      metadata: { name: LITELLM_METRICS_KEY_SECRET.name, namespace, labels },
      data: { 'key.json': specJson, 'provision.py': LITELLM_PROVISION_SCRIPT },
      dependsOn: props.dependsOn,
    });
    const revision = createHash('sha256').update(specJson).update(LITELLM_PROVISION_SCRIPT).digest('hex').slice(0, 8);
    this.job = new JobV1(this, 'job', {
      metadata: { name: `${LITELLM_METRICS_KEY_SECRET.name}-${revision}`, namespace, labels },
      spec: {
        backoffLimit: 4,
        activeDeadlineSeconds: 1800,
        template: pythonSpecJobPod({
          labels,
          containerName: 'provision',
          image: props.image,
          configMapName: configMap.metadata.name,
          script: 'provision.py',
          spec: 'key.json',
          env: [
            { name: 'LITELLM_URL', value: props.litellmUrl },
            { name: 'LITELLM_MASTER_KEY', valueFrom: { secretKeyRef: { name: props.masterKeySecret.name, key: props.masterKeySecret.key } } },
            // The script's name for the key it provisions (it was written for the tenants' keys).
            { name: 'TENANT_KEY', valueFrom: { secretKeyRef: { name: LITELLM_METRICS_KEY_SECRET.name, key: LITELLM_METRICS_KEY_SECRET.key } } },
          ],
        }),
      },
      waitForCompletion: true,
      timeouts: { create: '30m', update: '30m' },
      dependsOn: [configMap, keySecret.manifest, ...(props.dependsOn ?? [])],
    });

    this.serviceMonitor = new Manifest(this, 'service-monitor', {
      manifest: {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'ServiceMonitor',
        metadata: { name: 'litellm-metrics', namespace, labels: { ...props.selector } },
        spec: {
          selector: { matchLabels: { ...props.selector } },
          namespaceSelector: { matchNames: [namespace] },
          endpoints: [
            {
              port: 'http',
              path: '/metrics/',
              interval: SCRAPE_INTERVAL,
              authorization: { type: 'Bearer', credentials: { name: LITELLM_METRICS_KEY_SECRET.name, key: LITELLM_METRICS_KEY_SECRET.key } },
            },
          ],
        },
      },
      dependsOn: [this.job],
    });
  }
}
