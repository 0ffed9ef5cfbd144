import { Construct } from 'constructs';
import { ChartRelease, mirroredRepository } from '../kubernetes/helm';
import { NS } from '../kubernetes/namespaces';
import { INTERNAL_INGRESS_CLASS } from '../kubernetes/baseline';
import { ENCRYPTED_STORAGE_CLASS } from '../kubernetes/storage-class';
import { ExternalSecret, ExternalSecretProps } from '../kubernetes/external-secret';
import { deepMerge, Values } from '../kubernetes/values';
import { ComponentProps, NODE_KEY, podAntiAffinity, ZONE_KEY, zoneSpread } from './component';
import { postgresChartValues } from './postgres-values';
import { PostgresCluster } from './postgres-cluster';
import { DatabaseOptions } from './litellm';
import { POSTGRES_CLUSTERS, PORTS } from '../kubernetes/network-policies';

export interface LangfuseOptions {
  /** Host name people reach Langfuse at through the internal ingress; without it, cluster-internal only. */
  readonly hostname?: string;
  /** TLS Secret for `hostname` (from the organisation's internal CA); the URL is https when set. */
  readonly tlsSecretName?: string;
  /** OpenID Connect sign-in; the client secret is the external entry `langfuse/sso-client-secret`. */
  readonly sso?: { readonly issuer: string; readonly clientId: string; readonly name: string };
  readonly webReplicas?: number;
  readonly workerReplicas?: number;
  /**
   * ClickHouse replicas (one shard; ReplicatedMergeTree through Keeper). Defaults to 2: one replica loses
   * every trace query with its zone or volume. Keeper stays at the chart's 3 (a Raft quorum survives one).
   */
  readonly clickhouseReplicas?: number;
}

export interface LangfuseProps extends ComponentProps {
  readonly options?: LangfuseOptions;
  /** Langfuse's Postgres Cluster (components.postgres). */
  readonly postgres: DatabaseOptions;
}

export const LANGFUSE_RELEASE = 'langfuse';
/**
 * Pod labels the ClickHouse operator puts on the servers and Keepers of the chart's ClickHouseCluster and
 * KeeperCluster (both named after the release): `app: <name>-clickhouse|-keeper` and `clickhouse.com/role`
 * (operator internal/controllerutil/labels.go). The chart passes only nodeSelector, tolerations and affinity
 * into the operator's podTemplate, so anti-affinity is the spread it can have; the operator adds the PDBs
 * itself (servers: minAvailable 1 per shard; Keeper: maxUnavailable replicas/2).
 */
export const CLICKHOUSE_POD_LABELS = {
  server: { app: `${LANGFUSE_RELEASE}-clickhouse`, 'clickhouse.com/role': 'clickhouse-server' },
  keeper: { app: `${LANGFUSE_RELEASE}-keeper`, 'clickhouse.com/role': 'clickhouse-keeper' },
} as const;

/**
 * The project API key pair: Langfuse creates the project with it at start-up (headless init) and the
 * orchestrator reports with it. One generated entry each, read by both; Langfuse wants its prefixes.
 */
export const LANGFUSE_PROJECT_KEYS = {
  'public-key': { component: 'langfuse', key: 'init-public-key' },
  'secret-key': { component: 'langfuse', key: 'init-secret-key' },
} as const;
export const LANGFUSE_PROJECT_KEY_TEMPLATES = {
  'public-key': 'pk-lf-{{ index . "public-key" }}',
  'secret-key': 'sk-lf-{{ index . "secret-key" }}',
} as const;
/** Organisation and project created by headless init (ids are stable: API keys and traces hang off them). */
export const LANGFUSE_INIT = { orgId: 'rag-platform', projectId: 'rag-platform' } as const;
const SERVICE_ACCOUNT = 'langfuse';
/** Everything Langfuse stores in the platform's object storage lives below this prefix. */
const OBJECT_PREFIX = 'langfuse/';

/**
 * Langfuse v4 in-region. Stores: its own CloudNativePG Postgres Cluster in `data` (lib/components/postgres-cluster.ts),
 * bundled Valkey and ClickHouse (operator) on the encrypted
 * class (no in-region managed ClickHouse exists on either cloud, and bundling keeps every trace inside the
 * cluster's own encrypted volumes); blobs in the platform bucket/container by workload identity (no
 * access keys). Sign-up and telemetry off; every secret from the secret store.
 */
export class Langfuse extends Construct {
  readonly values: Values;
  readonly release: ChartRelease;
  readonly database: PostgresCluster;

  constructor(scope: Construct, id: string, props: LangfuseProps) {
    super(scope, id);
    const { cluster, pins } = props;
    const options = props.options ?? {};
    const secret = (name: string, data: ExternalSecretProps['data'], literals?: Record<string, string>, templates?: ExternalSecretProps['templates']) =>
      new ExternalSecret(this, name, {
        store: cluster.secretStore,
        environment: props.environment,
        component: 'langfuse',
        namespace: NS.observability,
        secretName: name,
        data,
        literals,
        templates,
        dependsOn: props.dependsOn,
      });
    // Not `langfuse-app`: the chart always renders a Secret of that name itself, and two owners would race.
    const app = secret('langfuse-secrets', { salt: 'salt', 'encryption-key': 'encryption-key', 'nextauth-secret': 'nextauth-secret' });
    // The bundled Postgres of environments created before CloudNativePG is kept (same Secret, same chart
    // keys) only while its database is imported; Langfuse itself reads `password` from this Secret either way.
    const legacy = props.postgres.importLegacyRelease;
    const postgres = legacy
      ? secret(
          'langfuse-postgresql-auth',
          { POSTGRES_PASSWORD: 'postgres-admin-password', USERDB_PASSWORD: 'postgres-password', password: 'postgres-password', 'postgres-password': 'postgres-admin-password' },
          { POSTGRES_USER: 'postgres', USERDB_USER: 'langfuse', POSTGRES_DB: 'langfuse' },
        )
      : secret('langfuse-postgresql-auth', { password: 'postgres-password' });
    this.database = new PostgresCluster(this, 'database', {
      cluster,
      environment: props.environment,
      pins,
      name: POSTGRES_CLUSTERS.langfuse,
      namespace: NS.data,
      database: 'langfuse',
      owner: 'langfuse',
      password: { component: 'langfuse', key: 'postgres-password' },
      storageGi: 20,
      retentionDays: props.postgres.retentionDays,
      // The bundled server's Service (the chart's sub-chart fullname for release `langfuse`).
      importFrom: legacy ? { host: `${LANGFUSE_RELEASE}-postgresql.${NS.observability}.svc.cluster.local` } : undefined,
      dependsOn: props.dependsOn,
    });
    const redis = secret('langfuse-redis-auth', { default: 'redis-password' });
    const clickhouse = secret('langfuse-clickhouse-auth', { password: 'clickhouse-password' });
    const init = secret('langfuse-init', LANGFUSE_PROJECT_KEYS, undefined, LANGFUSE_PROJECT_KEY_TEMPLATES);
    const fromSecret = (name: string, secretName: string, key: string) => ({ name, valueFrom: { secretKeyRef: { name: secretName, key } } });
    // Headless init: the organisation and project exist, with the orchestrator's API keys, from the first
    // start. No init user: people sign in through SSO, and sign-up stays off.
    const headlessInit = [
      { name: 'LANGFUSE_INIT_ORG_ID', value: LANGFUSE_INIT.orgId },
      { name: 'LANGFUSE_INIT_ORG_NAME', value: props.environment },
      { name: 'LANGFUSE_INIT_PROJECT_ID', value: LANGFUSE_INIT.projectId },
      { name: 'LANGFUSE_INIT_PROJECT_NAME', value: 'rag-platform' },
      fromSecret('LANGFUSE_INIT_PROJECT_PUBLIC_KEY', init.secretName, 'public-key'),
      fromSecret('LANGFUSE_INIT_PROJECT_SECRET_KEY', init.secretName, 'secret-key'),
    ];
    // Sign-in only through the organisation's identity provider when one is configured: no local passwords.
    const sso = options.sso
      ? [
          { name: 'AUTH_CUSTOM_ISSUER', value: options.sso.issuer },
          { name: 'AUTH_CUSTOM_CLIENT_ID', value: options.sso.clientId },
          { name: 'AUTH_CUSTOM_NAME', value: options.sso.name },
          fromSecret('AUTH_CUSTOM_CLIENT_SECRET', secret('langfuse-sso', { 'client-secret': 'sso-client-secret' }).secretName, 'client-secret'),
          { name: 'AUTH_DISABLE_USERNAME_PASSWORD', value: 'true' },
        ]
      : [];
    const scheme = options.tlsSecretName ? 'https' : 'http';
    const url = options.hostname ? `${scheme}://${options.hostname}` : `http://${LANGFUSE_RELEASE}-web.${NS.observability}.svc.cluster.local:3000`;
    const ingress: Values = options.hostname
      ? {
          enabled: true,
          className: INTERNAL_INGRESS_CLASS,
          hosts: [{ host: options.hostname, paths: [{ path: '/', pathType: 'Prefix' }] }],
          tls: options.tlsSecretName ? { enabled: true, secretName: options.tlsSecretName } : { enabled: false },
        }
      : { enabled: false };

    const storage = cluster.objectStorage;
    // Where Langfuse's storage client cannot use the workload identity (Azure Blob), it gets a storage
    // account of its own and that account's key from the secret store; the identity then needs no blob role.
    const keyStore = storage.accountKeyStores.langfuse;
    const identity = cluster.bindWorkloadIdentity(this, {
      id: 'langfuse',
      namespace: NS.observability,
      serviceAccount: SERVICE_ACCOUNT,
      ...(keyStore ? {} : { objectStoragePrefix: OBJECT_PREFIX }),
    });
    let blob: Values;
    if (keyStore) {
      const accountKey = secret('langfuse-blob-storage', { 'account-key': keyStore.accountKey.key });
      blob = {
        storageProvider: 'azure',
        bucket: keyStore.bucket,
        endpoint: keyStore.endpoint,
        accessKeyId: { value: keyStore.accountName },
        secretAccessKey: { secretKeyRef: { name: accountKey.secretName, key: 'account-key' } },
      };
    } else if (storage.kind === 's3') {
      blob = { storageProvider: 's3', bucket: storage.bucket, region: storage.endpoint, forcePathStyle: false };
    } else {
      throw new Error(`Langfuse cannot write to ${storage.kind} with a workload identity: the cluster must name an account-key store for it`);
    }
    const web = pins.images['langfuse-web'];
    const worker = pins.images['langfuse-worker'];
    const vk = pins.images.valkey;
    const chServer = pins.images['clickhouse-server'];
    const chKeeper = pins.images['clickhouse-keeper'];
    const general = { nodeSelector: { ...cluster.pools.general.nodeSelector }, tolerations: cluster.pools.general.tolerations.map((t) => ({ ...t })) };
    // Web and worker are stateless (the chart's PDBs, maxUnavailable 1, are on by default): spread over zones.
    const spread = (component: 'web' | 'worker') =>
      zoneSpread({ 'app.kubernetes.io/name': 'langfuse', 'app.kubernetes.io/instance': LANGFUSE_RELEASE, 'app.kubernetes.io/component': component });
    // Replicas of a store never share a node (hard), and prefer different zones: `preferred` because the chart
    // offers no topology spread and a required zone term would leave a replica pending in a region without zones.
    const replicaPlacement = (labels: Readonly<Record<string, string>>) => podAntiAffinity(labels, { required: [NODE_KEY], preferred: [ZONE_KEY] });
    const defaults: Values = {
      langfuse: {
        salt: { secretKeyRef: { name: app.secretName, key: 'salt' } },
        encryptionKey: { secretKeyRef: { name: app.secretName, key: 'encryption-key' } },
        // NEXTAUTH_URL: the address people use, or sign-in redirects land on a cluster-internal name.
        nextauth: { url, secret: { secretKeyRef: { name: app.secretName, key: 'nextauth-secret' } } },
        features: { telemetryEnabled: false, signUpDisabled: true },
        additionalEnv: [...headlessInit, ...sso],
        ingress,
        serviceAccount: { create: true, name: SERVICE_ACCOUNT, annotations: { ...identity.serviceAccountAnnotations } },
        pod: { labels: { ...identity.podLabels } },
        ...general,
        web: { image: { repository: mirroredRepository(cluster, web), tag: web.tag }, replicas: options.webReplicas ?? 2, pod: { topologySpreadConstraints: spread('web') } },
        worker: {
          image: { repository: mirroredRepository(cluster, worker), tag: worker.tag },
          replicas: options.workerReplicas ?? 2,
          pod: { topologySpreadConstraints: spread('worker') },
        },
      },
      // DATABASE_HOST is `postgresql.host` whether or not the bundled server is deployed (chart 2.0.0
      // _helpers.tpl langfuse.postgresql.hostname); the password comes from `auth.existingSecret`.
      postgresql: legacy
        ? {
            deploy: true,
            host: this.database.host,
            port: PORTS.postgres,
            auth: { existingSecret: postgres.secretName, secretKeys: { userPasswordKey: 'password', adminPasswordKey: 'postgres-password' } },
            ...postgresChartValues(cluster, pins.images.postgres, postgres.secretName),
            storage: { className: ENCRYPTED_STORAGE_CLASS },
          }
        : {
            deploy: false,
            host: this.database.host,
            port: PORTS.postgres,
            auth: { username: 'langfuse', database: 'langfuse', existingSecret: postgres.secretName, secretKeys: { userPasswordKey: 'password' } },
          },
      redis: {
        deploy: true,
        auth: { existingSecret: redis.secretName, existingSecretPasswordKey: 'default', usersExistingSecret: redis.secretName },
        image: { registry: cluster.imageMirror, repository: vk.repository, tag: vk.tag },
        dataStorage: { className: ENCRYPTED_STORAGE_CLASS },
      },
      clickhouse: {
        deploy: true,
        auth: { existingSecret: clickhouse.secretName, existingSecretKey: 'password' },
        cluster: {
          replicas: options.clickhouseReplicas ?? 2,
          image: { repository: mirroredRepository(cluster, chServer), tag: chServer.tag },
          storage: { className: ENCRYPTED_STORAGE_CLASS },
          ...general,
          affinity: replicaPlacement(CLICKHOUSE_POD_LABELS.server),
        },
        keeper: {
          image: { repository: mirroredRepository(cluster, chKeeper), tag: chKeeper.tag },
          storage: { className: ENCRYPTED_STORAGE_CLASS },
          ...general,
          affinity: replicaPlacement(CLICKHOUSE_POD_LABELS.keeper),
        },
      },
      // No bundled SeaweedFS: blobs go to the platform's in-region object storage, below the one prefix its
      // identity may write (the chart's default prefix is the bucket root, which that identity cannot touch).
      s3: {
        deploy: false,
        ...blob,
        eventUpload: { prefix: `${OBJECT_PREFIX}events/` },
        batchExport: { prefix: `${OBJECT_PREFIX}exports/` },
        mediaUpload: { prefix: `${OBJECT_PREFIX}media/` },
      },
    };
    this.values = deepMerge(defaults, props.values);
    this.release = new ChartRelease(this, 'release', {
      cluster,
      name: LANGFUSE_RELEASE,
      namespace: NS.observability,
      source: { kind: 'mirror', pin: pins.charts.langfuse },
      values: this.values,
      // Langfuse migrates its schema at start: the Cluster (and, while importing, the import) is ready first.
      dependsOn: [...(props.dependsOn ?? []), this.database.manifest],
      timeout: 1200,
    });
  }
}
