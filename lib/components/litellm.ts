import { Construct } from 'constructs';
import { ChartRelease, mirroredImage, mirroredRepository } from '../kubernetes/helm';
import { NS } from '../kubernetes/namespaces';
import { ENCRYPTED_STORAGE_CLASS } from '../kubernetes/storage-class';
import { ExternalSecret } from '../kubernetes/external-secret';
import { PLATFORM_SUPPORT } from '../kubernetes/priority-classes';
import { deepMerge, Values } from '../kubernetes/values';
import { ComponentProps, zoneSpread } from './component';
import { postgresChartValues } from './postgres-values';
import { PostgresCluster } from './postgres-cluster';
import { PORTS, POSTGRES_CLUSTERS } from '../kubernetes/network-policies';
import { VALKEY_PORT, valkeyValues } from './valkey';
import { LitellmMetricsScrape } from './litellm-metrics';
import { SIZING } from '../capacity/assumptions';

export interface LlmModel {
  readonly name: string;
  readonly provider: 'azure-openai' | 'bedrock';
  readonly region: string;
  readonly model: string;
  readonly endpoint?: string;
}

export interface LiteLlmOptions {
  readonly models: readonly LlmModel[];
  /** TEI's OpenAI-compatible base URL (`http://tei.embeddings.svc.cluster.local:8080/v1`), served as EMBEDDINGS_MODEL. */
  readonly embeddingsApiBase: string;
  /** Ordered fallbacks per alias, kept in the order declared (deterministic topology). */
  readonly fallbacks: readonly { readonly model: string; readonly to: readonly string[] }[];
  readonly replicas?: number;
  readonly postgres: DatabaseOptions;
}

/** The component's Postgres Cluster (components.postgres in the environment file). */
export interface DatabaseOptions {
  readonly retentionDays: number;
  /** Keep the pre-CloudNativePG release and import its database into the new Cluster. */
  readonly importLegacyRelease: boolean;
}

export interface LiteLlmProps extends ComponentProps {
  readonly options: LiteLlmOptions;
}

export const LITELLM_RELEASE = 'litellm';
/** LiteLLM's ServiceAccount: its workload identity may invoke exactly the configured models of the cloud's service. */
export const LITELLM_SERVICE_ACCOUNT = 'litellm';
const POSTGRES_RELEASE = 'litellm-postgres';
const VALKEY_RELEASE = 'litellm-valkey';
/** The Secret (in `llm-gateway`) holding LiteLLM's master key; tenant provisioning Jobs there read it. */
export const LITELLM_MASTER_KEY_SECRET = { name: 'litellm-master-key', key: 'masterkey' } as const;
/** Environment variable (from the provider-keys Secret) that holds the Azure OpenAI key. */
export const AZURE_API_KEY_ENV = 'AZURE_API_KEY';

/**
 * The name LiteLLM serves TEI under: the only model of each tenant's embeddings key (lib/tenancy), and what
 * the orchestrator and workers send as `model` to LiteLLM's `/v1/embeddings`. Fixed, so that tenant stacks
 * need not know which embedding model the environment runs.
 */
export const EMBEDDINGS_MODEL = 'embeddings';

/**
 * The internal price of embeddings: 1 USD per million input tokens. Not a cost anybody pays (TEI runs on our
 * own nodes): it makes LiteLLM count embedding tokens as spend, so a key's `max_budget` caps tokens.
 * With this price a tenant's embeddings budget is its `embeddings.monthlyTokenCap` in millions.
 */
export const EMBEDDINGS_USD_PER_MILLION_TOKENS = 1;

/** The embeddings key's budget (USD per budget period) that allows exactly `monthlyTokenCap` tokens. */
export function embeddingsBudgetUsd(monthlyTokenCap: number): number {
  return (monthlyTokenCap * EMBEDDINGS_USD_PER_MILLION_TOKENS) / 1_000_000;
}

/** The env var of LiteLLM's pod the embeddings model's `api_key` names (see embeddingsModel). */
export const EMBEDDINGS_NO_AUTH_ENV = 'EMBEDDINGS_NO_AUTH';

/**
 * TEI as a LiteLLM model: its OpenAI-compatible `/v1/embeddings` route (`openai/` provider with `api_base`),
 * `mode: embedding` (health checks and routing treat it as an embedding model), priced per input token.
 * TEI takes no key (only LiteLLM may reach it: lib/kubernetes/network-policies.ts), but the OpenAI client
 * LiteLLM uses refuses to send without one: it reads EMBEDDINGS_NO_AUTH_ENV, a fixed placeholder set in the
 * pod's env (chart `envVars`), which is not a credential and authorises nothing.
 */
export function embeddingsModel(apiBase: string): Values {
  return {
    model_name: EMBEDDINGS_MODEL,
    litellm_params: {
      model: `openai/${EMBEDDINGS_MODEL}`,
      api_base: apiBase,
      api_key: `os.environ/${EMBEDDINGS_NO_AUTH_ENV}`,
      input_cost_per_token: EMBEDDINGS_USD_PER_MILLION_TOKENS / 1_000_000,
      output_cost_per_token: 0,
    },
    model_info: { mode: 'embedding' },
  };
}

/** LiteLLM `model_list` entries: every model pinned to its in-region endpoint. */
export function modelList(models: readonly LlmModel[]): Values[] {
  return models.map((m) => {
    if (m.provider === 'azure-openai') {
      return {
        model_name: m.name,
        litellm_params: { model: `azure/${m.model}`, api_base: m.endpoint, api_key: `os.environ/${AZURE_API_KEY_ENV}`, region_name: m.region },
      };
    }
    // Bedrock: credentials from the pod's workload identity (no key in the Secret).
    return { model_name: m.name, litellm_params: { model: `bedrock/${m.model}`, aws_region_name: m.region } };
  });
}

/**
 * The LLM gateway: one LiteLLM fleet (provider keys only here), its Postgres Cluster and Valkey in `data`,
 * schema migrations as a Helm pre-upgrade hook so new pods never start against an old schema.
 */
export class LiteLlm extends Construct {
  readonly values: Values;
  /** The pre-CloudNativePG release's values, only while it is kept for the import. */
  readonly postgresValues?: Values;
  readonly database: PostgresCluster;
  readonly valkeyValues: Values;
  readonly release: ChartRelease;
  readonly metrics: LitellmMetricsScrape;

  constructor(scope: Construct, id: string, props: LiteLlmProps) {
    super(scope, id);
    const { cluster, pins, options } = props;
    const secrets = (namespace: string, secretName: string, component: string, data: Record<string, string>, literals?: Record<string, string>) =>
      new ExternalSecret(this, secretName, { store: cluster.secretStore, environment: props.environment, component, namespace, secretName, data, literals, dependsOn: props.dependsOn });

    const valkeyAuth = secrets(NS.data, 'litellm-valkey-auth', 'litellm', { default: 'redis-password' });
    const dbSecret = secrets(NS.llmGateway, 'litellm-db', 'litellm', { password: 'postgres-password' }, { username: 'litellm' });
    const masterKey = secrets(NS.llmGateway, LITELLM_MASTER_KEY_SECRET.name, 'litellm', { [LITELLM_MASTER_KEY_SECRET.key]: 'master-key' });
    // Models of the cloud's own service are called as the workload identity; others (over an interconnect)
    // with keys from the secret store. The salt key encrypts provider credentials LiteLLM stores in its
    // database: separate from the master key (rotating the master key must not orphan them), never rotated.
    const identity = cluster.bindWorkloadIdentity(this, {
      id: 'litellm',
      namespace: NS.llmGateway,
      serviceAccount: LITELLM_SERVICE_ACCOUNT,
      invokeModels: options.models.map(({ provider, region, model }) => ({ provider, region, model })),
    });
    const bedrockByKey = cluster.llmProvider !== 'bedrock' && options.models.some((m) => m.provider === 'bedrock');
    const providerEnv = secrets(
      NS.llmGateway,
      'litellm-provider-env',
      'litellm',
      {
        [AZURE_API_KEY_ENV]: 'azure-openai-api-key',
        REDIS_PASSWORD: 'redis-password',
        LITELLM_SALT_KEY: 'salt-key',
        ...(bedrockByKey ? { AWS_ACCESS_KEY_ID: 'bedrock-access-key-id', AWS_SECRET_ACCESS_KEY: 'bedrock-secret-access-key' } : {}),
      },
      { REDIS_HOST: `${VALKEY_RELEASE}.${NS.data}.svc.cluster.local`, REDIS_PORT: String(VALKEY_PORT) },
    );

    // Environments created before CloudNativePG keep their groundhog2k release (same construct ids, so the
    // same state) until the Cluster has imported its database; then the flag goes and the release with it.
    let legacyRelease: ChartRelease | undefined;
    if (options.postgres.importLegacyRelease) {
      // Postgres superuser and the litellm user, in the layout the postgres chart reads.
      const pgAuth = secrets(NS.data, 'litellm-postgres-auth', 'litellm', { POSTGRES_PASSWORD: 'postgres-admin-password', USERDB_PASSWORD: 'postgres-password' }, {
        POSTGRES_USER: 'postgres',
        USERDB_USER: 'litellm',
        POSTGRES_DB: 'litellm',
      });
      this.postgresValues = {
        ...postgresChartValues(cluster, pins.images.postgres, pgAuth.secretName),
        storage: { requestedSize: '50Gi', className: ENCRYPTED_STORAGE_CLASS },
        priorityClassName: PLATFORM_SUPPORT,
      };
      legacyRelease = new ChartRelease(this, 'postgres', {
        cluster,
        name: POSTGRES_RELEASE,
        namespace: NS.data,
        source: { kind: 'mirror', pin: pins.charts.postgres },
        values: this.postgresValues,
        dependsOn: props.dependsOn,
      });
    }
    this.database = new PostgresCluster(this, 'database', {
      cluster,
      environment: props.environment,
      pins,
      name: POSTGRES_CLUSTERS.litellm,
      namespace: NS.data,
      database: 'litellm',
      owner: 'litellm',
      password: { component: 'litellm', key: 'postgres-password' },
      storageGi: 50,
      retentionDays: options.postgres.retentionDays,
      importFrom: legacyRelease
? { host: `${POSTGRES_RELEASE}.${NS.data}.svc.cluster.local` } : undefined,
      dependsOn: [...(props.dependsOn ?? []), ...(legacyRelease ? [legacyRelease.release] : [])],
    });
    this.valkeyValues = valkeyValues({
      cluster,
      pins,
      usersSecret: valkeyAuth.secretName,
      aclUsers: { default: { permissions: '~* &* +@all' } },
      storageGi: 8,
    });
    const valkey = new ChartRelease(this, 'valkey', {
      cluster,
      name: VALKEY_RELEASE,
      namespace: NS.data,
      source: { kind: 'mirror', pin: pins.charts.valkey },
      values: this.valkeyValues,
      dependsOn: props.dependsOn,
    });

    const fallbacks = options.fallbacks.map((f) => ({ [f.model]: [...f.to] }));
    const image = pins.images.litellm;
    const selector = { 'app.kubernetes.io/name': 'litellm', 'app.kubernetes.io/instance': LITELLM_RELEASE };
    const defaults: Values = {
      // The chart is named litellm-helm: its `app.kubernetes.io/name` label and Service name are `litellm` only
      // through nameOverride. The network policies, the ServiceMonitor selector and every caller's URL rely on
      // them, so they are pinned here rather than left to the chart's default.
      nameOverride: 'litellm',
      fullnameOverride: LITELLM_RELEASE,
      replicaCount: options.replicas ?? 3,
      image: { repository: mirroredRepository(cluster, image), tag: image.tag, pullPolicy: 'IfNotPresent' },
      masterkeySecretName: masterKey.secretName,
      masterkeySecretKey: LITELLM_MASTER_KEY_SECRET.key,
      environmentSecrets: [providerEnv.secretName],
      envVars: { [EMBEDDINGS_NO_AUTH_ENV]: 'tei-admits-only-litellm' },
      serviceAccount: { create: true, name: LITELLM_SERVICE_ACCOUNT, annotations: { ...identity.serviceAccountAnnotations } },
      podLabels: { ...identity.podLabels },
      proxy_config: {
        model_list: [...modelList(options.models), embeddingsModel(options.embeddingsApiBase)],
        general_settings: { master_key: 'os.environ/PROXY_MASTER_KEY' },
        router_settings: {
          routing_strategy: 'simple-shuffle',
          redis_host: 'os.environ/REDIS_HOST',
          redis_port: 'os.environ/REDIS_PORT',
          redis_password: 'os.environ/REDIS_PASSWORD',
          fallbacks,
        },
        // `prometheus` serves /metrics/ on the proxy port, which every tenant reaches: LiteLLM checks the key
        // there (explicit, not left to the version's default), and only our metrics-only key and the master
        // key pass (LitellmMetricsScrape).
        litellm_settings: { fallbacks, telemetry: false, callbacks: ['prometheus'], require_auth_for_metrics_endpoint: true },
      },
      db: {
        useExisting: true,
        deployStandalone: false,
        endpoint: this.database.host,
        database: 'litellm',
        secret: { name: dbSecret.secretName, usernameKey: 'username', passwordKey: 'password' },
      },
      redis: { enabled: false },
      // Migrations run as a Helm pre-install/pre-upgrade hook: the new pods wait for the schema.
      migrationJob: { enabled: true, hooks: { helm: { enabled: true }, argocd: { enabled: false } } },
      // What the capacity planner prices a gateway pod at (SIZING.litellm): reserved on the node, so the pod on
      // every request's path is neither packed onto a full node nor the first evicted (the chart sets none).
      resources: {
        requests: { cpu: String(SIZING.litellm.vcpu), memory: `${SIZING.litellm.memoryGiB}Gi` },
        limits: { memory: `${SIZING.litellm.memoryGiB}Gi` },
      },
      pdb: { enabled: true, minAvailable: 1 },
      topologySpreadConstraints: zoneSpread(selector),
      // The chart's ServiceMonitor would scrape with the master key: ours uses a metrics-only key.
      serviceMonitor: { enabled: false },
      nodeSelector: { ...cluster.pools.general.nodeSelector },
      tolerations: cluster.pools.general.tolerations.map((t) => ({ ...t })),
    };
    this.values = deepMerge(defaults, props.values);
    this.release = new ChartRelease(this, 'release', {
      cluster,
      name: LITELLM_RELEASE,
      namespace: NS.llmGateway,
      source: { kind: 'mirror', pin: pins.charts.litellm },
      values: this.values,
      // Pods get their model credentials at admission: the identity's cloud side exists first.
      dependsOn: [...(props.dependsOn ?? []), this.database.manifest, valkey.release, ...(identity.resources ?? [])],
    });
    this.metrics = new LitellmMetricsScrape(this, 'metrics', {
      store: cluster.secretStore,
      environment: props.environment,
      selector,
      masterKeySecret: LITELLM_MASTER_KEY_SECRET,
      litellmUrl: `http://${LITELLM_RELEASE}.${NS.llmGateway}.svc.cluster.local:${PORTS.litellm}`,
      image: mirroredImage(cluster, pins.images['tenant-provisioner']),
      dependsOn: [...(props.dependsOn ?? []), this.release.release],
    });
  }
}
