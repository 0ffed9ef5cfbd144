import { Construct } from 'constructs';
import { ChartRelease, mirroredRepository } from '../kubernetes/helm';
import { NS } from '../kubernetes/namespaces';
import { ENCRYPTED_STORAGE_CLASS } from '../kubernetes/storage-class';
import { ExternalSecret } from '../kubernetes/external-secret';
import { deepMerge, Values } from '../kubernetes/values';
import { ComponentProps } from './component';

export interface LangfuseOptions {
  /** Canonical URL users reach Langfuse at (behind the internal ingress). */
  readonly url?: string;
  readonly webReplicas?: number;
  readonly workerReplicas?: number;
}

export interface LangfuseProps extends ComponentProps {
  readonly options?: LangfuseOptions;
}

export const LANGFUSE_RELEASE = 'langfuse';
const SERVICE_ACCOUNT = 'langfuse';

/**
 * Langfuse v4 in-region. Stores: bundled Postgres, Valkey and ClickHouse (operator) on the encrypted
 * class (no in-region managed ClickHouse exists on either cloud, and bundling keeps every trace inside the
 * cluster's own encrypted volumes); blobs in the platform bucket/container by workload identity (no
 * access keys). Sign-up and telemetry off; every secret from the secret store.
 */
export class Langfuse extends Construct {
  readonly values: Values;
  readonly release: ChartRelease;

  constructor(scope: Construct, id: string, props: LangfuseProps) {
    super(scope, id);
    const { cluster, pins } = props;
    const options = props.options ?? {};
    const secret = (name: string, data: Record<string, string>, literals?: Record<string, string>) =>
      new ExternalSecret(this, name, {
        store: cluster.secretStore,
        environment: props.environment,
        component: 'langfuse',
        namespace: NS.observability,
        secretName: name,
        data,
        literals,
        dependsOn: props.dependsOn,
      });
    const app = secret('langfuse-app', { salt: 'salt', 'encryption-key': 'encryption-key', 'nextauth-secret': 'nextauth-secret' });
    const postgres = secret(
      'langfuse-postgresql-auth',
      { POSTGRES_PASSWORD: 'postgres-admin-password', USERDB_PASSWORD: 'postgres-password', password: 'postgres-password', 'postgres-password': 'postgres-admin-password' },
      { POSTGRES_USER: 'postgres', USERDB_USER: 'langfuse', POSTGRES_DB: 'langfuse' },
    );
    const redis = secret('langfuse-redis-auth', { default: 'redis-password' });
    const clickhouse = secret('langfuse-clickhouse-auth', { password: 'clickhouse-password' });

    const identity = cluster.bindWorkloadIdentity(this, {
      id: 'langfuse',
      namespace: NS.observability,
      serviceAccount: SERVICE_ACCOUNT,
      objectStoragePrefix: 'langfuse/',
    });
    const storage = cluster.objectStorage;
    const blob: Values =
      storage.kind === 's3'
        ? { storageProvider: 's3', bucket: storage.bucket, region: storage.endpoint, forcePathStyle: false }
        : { storageProvider: 'azure', bucket: storage.bucket, endpoint: storage.endpoint };
    const web = pins.images['langfuse-web'];
    const worker = pins.images['langfuse-worker'];
    const pg = pins.images.postgres;
    const vk = pins.images.valkey;
    const chServer = pins.images['clickhouse-server'];
    const chKeeper = pins.images['clickhouse-keeper'];
    const general = { nodeSelector: { ...cluster.pools.general.nodeSelector }, tolerations: cluster.pools.general.tolerations.map((t) => ({ ...t })) };
    const defaults: Values = {
      langfuse: {
        salt: { secretKeyRef: { name: app.secretName, key: 'salt' } },
        encryptionKey: { secretKeyRef: { name: app.secretName, key: 'encryption-key' } },
        nextauth: { url: options.url ?? `http://${LANGFUSE_RELEASE}-web.${NS.observability}.svc.cluster.local:3000`, secret: { secretKeyRef: { name: app.secretName, key: 'nextauth-secret' } } },
        features: { telemetryEnabled: false, signUpDisabled: true },
        serviceAccount: { create: true, name: SERVICE_ACCOUNT, annotations: { ...identity.serviceAccountAnnotations } },
        pod: { labels: { ...identity.podLabels } },
        ...general,
        web: { image: { repository: mirroredRepository(cluster, web), tag: web.tag }, replicas: options.webReplicas ?? 2 },
        worker: { image: { repository: mirroredRepository(cluster, worker), tag: worker.tag }, replicas: options.workerReplicas ?? 2 },
      },
      postgresql: {
        deploy: true,
        auth: { existingSecret: postgres.secretName, secretKeys: { userPasswordKey: 'password', adminPasswordKey: 'postgres-password' } },
        image: { repository: mirroredRepository(cluster, pg), tag: pg.tag },
        storage: { className: ENCRYPTED_STORAGE_CLASS },
        settings: { existingSecret: postgres.secretName },
        userDatabase: { existingSecret: postgres.secretName },
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
        cluster: { image: { repository: mirroredRepository(cluster, chServer), tag: chServer.tag }, storage: { className: ENCRYPTED_STORAGE_CLASS }, ...general },
        keeper: { image: { repository: mirroredRepository(cluster, chKeeper), tag: chKeeper.tag }, storage: { className: ENCRYPTED_STORAGE_CLASS }, ...general },
      },
      // No bundled SeaweedFS: blobs go to the platform's in-region object storage.
      s3: { deploy: false, ...blob },
    };
    this.values = deepMerge(defaults, props.values);
    this.release = new ChartRelease(this, 'release', {
      cluster,
      name: LANGFUSE_RELEASE,
      namespace: NS.observability,
      source: { kind: 'mirror', pin: pins.charts.langfuse },
      values: this.values,
      dependsOn: props.dependsOn,
      timeout: 1200,
    });
  }
}
