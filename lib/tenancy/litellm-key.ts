import { Construct } from 'constructs';
import { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1';
import { JobV1 } from '../kubernetes/resources';
import { NetworkPolicyV1 } from '../kubernetes/resources';
import { BUDGET_LABEL, tenantLabels, tenantObjectName } from './labels';
import { PLATFORM_ENDPOINTS, PLATFORM_NAMESPACES } from './platform-contract';
import { StoreAccess } from './controller-store';
import { SOFT_BUDGET_FRACTION } from './operations';
import { PROVISIONER_COMPONENTS } from '../kubernetes/shared-labels';
import { provisionLitellmKey } from './litellm-key-provisioning';

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

/**
 * The tenant's LiteLLM team and virtual key: budget (`max_budget` per `budget_duration`), rate limits,
 * allowed models and `metadata.tenant_id`, applied through LiteLLM's admin API by a Kubernetes Job, since
 * LiteLLM keeps teams and keys in its database (no CRD, no config-file equivalent) and there is no
 * maintained Terraform provider for it.
 *
 * Everything runs in `llm-gateway`, next to the master key (provisionLitellmKey: `tenant-<id>-litellm-key`
 * Secret, ConfigMap and Job `tenant-<id>-litellm[-<hash>]`, labelled with the budget marker the policy gate
 * looks for, `rag.platform/budget: "<USD>"`). The egress policy here also admits the tenant's other
 * provisioning Jobs there (same pod labels: TenantEmbeddingsKey).
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
      // already in flight. Key only: /team/new and /team/update take no such field, and the team has this one key.
      key: {
        key_alias: props.tenantId,
        team_id: props.tenantId,
        ...limits,
        max_parallel_requests: props.maxParallelRequests ?? defaultMaxParallelRequests(props.requestsPerMinute),
        metadata,
      },
    };
    const provisioned = provisionLitellmKey(this, {
      tenantId: props.tenantId,
      secretSuffix: 'litellm-key',
      specSuffix: 'litellm',
      spec: this.spec,
      labels,
      specLabels: { [BUDGET_LABEL]: String(props.monthlyBudgetUsd) },
      remoteKey: props.remoteKey,
      pushMetadata: props.pushMetadata,
      store: props.store,
      image: props.image,
    });
    this.configMap = provisioned.configMap;
    this.job = provisioned.job;
    const podLabels = { ...labels };

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
