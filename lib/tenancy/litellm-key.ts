import { createHash } from 'crypto';
import { Construct } from 'constructs';
import { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1';
import { JobV1 } from '@cdktf/provider-kubernetes/lib/job-v1';
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { NetworkPolicyV1 } from '@cdktf/provider-kubernetes/lib/network-policy-v1';
import { BUDGET_LABEL, tenantLabels, tenantObjectName } from './labels';
import { endpointUrl, LITELLM_MASTER_KEY_SECRET, PLATFORM_ENDPOINTS, PLATFORM_NAMESPACES } from './platform-contract';
import { StoreAccess } from './controller-store';
import { GeneratedTenantSecret } from './generated-secret';
import { SOFT_BUDGET_FRACTION } from './operations';
import { PROVISIONER_COMPONENTS } from '../kubernetes/shared-labels';
import { LITELLM_PROVISION_SCRIPT } from './litellm-provision-script';
import { pythonSpecJobPod } from './python-spec-job';

export interface TenantLlmKeyProps {
  readonly tenantId: string;
  readonly displayName: string;
  readonly environment: string;
  readonly monthlyBudgetUsd: number;
  readonly requestsPerMinute: number;
  readonly tokensPerMinute: number;
  /** In-flight requests the key may have (`max_parallel_requests`); default `defaultMaxParallelRequests`. */
  readonly maxParallelRequests?: number;
  readonly allowedModels: readonly string[];
  /** Secret-store path of the tenant's key (under the tenant's prefix). */
  readonly remoteKey: string;
  /** PushSecret metadata of the cluster's secret store (the secrets CMK on AWS). */
  readonly pushMetadata?: Readonly<Record<string, unknown>>;
  /** The store the key is pushed to and read back from (`llm-gateway` side). */
  readonly store: StoreAccess;
  /** The pinned python image in the mirror. */
  readonly image: string;
}

/**
 * The default concurrency cap of a tenant's key: by Little's law, the full request rate at 10 s per
 * request (a slow LLM answer) is rpm / 60 * 10 requests in flight. More than that means the tenant's calls
 * are slower than the gateway is sized for, and the cap refuses them instead of letting them queue.
 */
export function defaultMaxParallelRequests(requestsPerMinute: number): number {
  return Math.ceil(requestsPerMinute / 6);
}

/** LiteLLM resets a team's and a key's spend every budget period; the budget is monthly. */
export const BUDGET_DURATION = '30d';

/** The Secret (in `llm-gateway`) and its key the provisioning Job reads the tenant's key from. */
const KEY_SECRET_KEY = 'key';

/**
 * The tenant's LiteLLM team and virtual key: budget (`max_budget` per `budget_duration`), rate limits,
 * allowed models and `metadata.tenant_id`, applied through LiteLLM's admin API by a Kubernetes Job, since
 * LiteLLM keeps teams and keys in its database (no CRD, no config-file equivalent) and there is no
 * maintained Terraform provider for it.
 *
 * Everything runs in `llm-gateway`, next to the master key, which never leaves that namespace:
 *  1. a Password generator + PushSecret create the key value in the secret store (GeneratedTenantSecret);
 *  2. an ExternalSecret brings it back as `tenant-<id>-litellm-key` for the Job (LiteLLM wants `sk-...`);
 *  3. a ConfigMap carries the desired team/key (non-secret) and the script, labelled with the budget
 *     marker the policy gate looks for (`rag.platform/budget: "<USD>"`);
 *  4. the Job (name = hash of spec + script) applies it idempotently; Terraform waits for it.
 * The tenant's own namespace gets the same key from the store (TenantCredentials).
 */
export class TenantLlmKey extends Construct {
  readonly spec: Record<string, unknown>;
  readonly configMap: ConfigMapV1;
  readonly job: JobV1;

  constructor(scope: Construct, id: string, props: TenantLlmKeyProps) {
    super(scope, id);
    const namespace = PLATFORM_NAMESPACES.llmGateway;
    // The component the addons stack's NetworkPolicies admit to LiteLLM (lib/kubernetes/network-policies.ts).
    const labels = tenantLabels(props.tenantId, PROVISIONER_COMPONENTS.litellm);
    const budgetLabels = { ...labels, [BUDGET_LABEL]: String(props.monthlyBudgetUsd) };
    const limits = {
      max_budget: props.monthlyBudgetUsd,
      // Crossing it blocks nothing: LiteLLM flags it, and the tenant's PrometheusRule alerts at the same share.
      soft_budget: Math.round(props.monthlyBudgetUsd * SOFT_BUDGET_FRACTION * 100) / 100,
      budget_duration: BUDGET_DURATION,
      rpm_limit: props.requestsPerMinute,
      tpm_limit: props.tokensPerMinute,
      models: [...props.allowedModels],
    };
    const metadata = { tenant_id: props.tenantId, environment: props.environment };
    this.spec = {
      team: { team_id: props.tenantId, team_alias: props.displayName, ...limits, metadata },
      // The per-tenant circuit breaker: LiteLLM refuses (429) a request of a key with `max_parallel_requests`
      // already in flight. Key only: /team/new and /team/update take no such field, and the tenant has one key.
      key: {
        key_alias: props.tenantId,
        team_id: props.tenantId,
        ...limits,
        max_parallel_requests: props.maxParallelRequests ?? defaultMaxParallelRequests(props.requestsPerMinute),
        metadata,
      },
    };
    const specJson = JSON.stringify(this.spec, null, 2);

    const generated = new GeneratedTenantSecret(this, 'generated-key', {
      tenantId: props.tenantId,
      namespace,
      name: tenantObjectName(props.tenantId, 'litellm-key'),
      remoteKey: props.remoteKey,
      pushMetadata: props.pushMetadata,
      store: props.store,
      length: 48,
      component: PROVISIONER_COMPONENTS.litellm,
    });
    const keySecretName = tenantObjectName(props.tenantId, 'litellm-key');
    const externalSecret = new Manifest(this, 'key-secret', {
      manifest: {
        apiVersion: 'external-secrets.io/v1',
        kind: 'ExternalSecret',
        metadata: { name: keySecretName, namespace, labels },
        spec: {
          refreshInterval: '1h',
          secretStoreRef: { ...props.store.ref },
          target: {
            name: keySecretName,
            creationPolicy: 'Owner',
            template: { metadata: { labels }, data: { [KEY_SECRET_KEY]: 'sk-{{ .value }}' } },
          },
          data: [{ secretKey: 'value', remoteRef: { key: props.remoteKey } }],
        },
      },
      dependsOn: [generated.pushSecret],
    });

    this.configMap = new ConfigMapV1(this, 'spec', {
      metadata: { name: tenantObjectName(props.tenantId, 'litellm'), namespace, labels: budgetLabels },
      data: { 'tenant.json': specJson, 'provision.py': LITELLM_PROVISION_SCRIPT },
    });

    const revision = createHash('sha256').update(specJson).update(LITELLM_PROVISION_SCRIPT).digest('hex').slice(0, 8);
    const podLabels = { ...labels };
    this.job = new JobV1(this, 'job', {
      metadata: { name: tenantObjectName(props.tenantId, `litellm-${revision}`), namespace, labels: budgetLabels },
      spec: {
        backoffLimit: 4,
        // The key Secret appears only after the PushSecret/ExternalSecret round trip: allow for it.
        activeDeadlineSeconds: 1800,
        template: pythonSpecJobPod({
          labels: podLabels,
          containerName: 'provision',
          image: props.image,
          configMapName: this.configMap.metadata.name,
          script: 'provision.py',
          spec: 'tenant.json',
          env: [
            { name: 'LITELLM_URL', value: endpointUrl(PLATFORM_ENDPOINTS.litellm) },
            { name: 'LITELLM_MASTER_KEY', valueFrom: { secretKeyRef: { name: LITELLM_MASTER_KEY_SECRET.name, key: LITELLM_MASTER_KEY_SECRET.key } } },
            { name: 'TENANT_KEY', valueFrom: { secretKeyRef: { name: keySecretName, key: KEY_SECRET_KEY } } },
          ],
        }),
      },
      waitForCompletion: true,
      timeouts: { create: '30m', update: '30m' },
      dependsOn: [externalSecret],
    });

    // Platform namespaces are default-deny: let this tenant's Job pods reach LiteLLM and DNS, nothing else.
    new NetworkPolicyV1(this, 'egress', {
      metadata: { name: tenantObjectName(props.tenantId, 'litellm-provisioner'), namespace, labels },
      spec: {
        podSelector: { matchLabels: podLabels },
        policyTypes: ['Egress'],
        egress: [
          {
            to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
            ports: [
              { protocol: 'UDP', port: '53' },
              { protocol: 'TCP', port: '53' },
            ],
          },
          {
            to: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': PLATFORM_ENDPOINTS.litellm.service } } }],
            ports: PLATFORM_ENDPOINTS.litellm.ports.map((port) => ({ protocol: 'TCP', port: String(port) })),
          },
        ],
      },
    });
  }
}
