import { Construct } from 'constructs';
import { ITerraformDependable } from 'cdktf';
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { SecretStoreInfo } from '../cluster/cluster-info';
import { catalogEntry, CatalogEntry, secretPath } from './secret-catalog';

/** The ClusterSecretStore every ExternalSecret of the platform reads from. */
export const CLUSTER_SECRET_STORE = 'platform-secrets';

/** The path segment under `rag/<env>/` that holds tenant credentials (`rag/<env>/tenants/<id>/<key>`). */
export const TENANT_SECRETS_COMPONENT = 'tenants';

/**
 * Workload identity ids of tenants start with this (`tenant-<id>`): external-secrets may act as exactly
 * those identities (`actAsIdentities`) when it serves the tenants' SecretStores.
 */
export const TENANT_IDENTITY_PREFIX = 'tenant-';

// Entry names are built where the catalog lives (the Azure platform stack writes one entry too).
export { secretPath } from './secret-catalog';

/** An entry of another component: `rag/<env>/<component>/<key>`. */
export interface SecretReference {
  readonly component: string;
  readonly key: string;
}

/**
 * One `spec.data` entry of a PushSecret that writes the generator's `password` to `remoteKey`, with the
 * store's push metadata (on AWS the secrets CMK: a secret external-secrets creates is encrypted with the
 * platform's key, not the AWS-managed one).
 */
export function pushSecretEntry(store: Pick<SecretStoreInfo, 'pushSecretMetadata'>, remoteKey: string): Record<string, unknown> {
  return { match: { secretKey: 'password', remoteRef: { remoteKey } }, ...(store.pushSecretMetadata ? { metadata: store.pushSecretMetadata } : {}) };
}

export interface ExternalSecretProps {
  readonly store: SecretStoreInfo;
  readonly environment: string;
  readonly component: string;
  readonly namespace: string;
  /** Name of the Kubernetes Secret external-secrets creates and keeps in sync. */
  readonly secretName: string;
  /**
   * Secret key -> key under `rag/<env>/<component>/` in the secret store, or `{ component, key }` to read
   * an entry another component owns (one credential, one entry: e.g. the orchestrator reads Qdrant's key).
   * Every entry must be in lib/kubernetes/secret-catalog.ts.
   */
  readonly data: Readonly<Record<string, string | SecretReference>>;
  /** Secret key -> ESO template over the fetched data (e.g. `sk-{{ index . "key" }}` for a prefix the consumer wants). */
  readonly templates?: Readonly<Record<string, string>>;
  /** Non-secret keys added to the Secret (user names, database names) through the ESO template. */
  readonly literals?: Readonly<Record<string, string>>;
  /** Kubernetes Secret type when the consumer insists on one (CloudNativePG's `kubernetes.io/basic-auth`); default Opaque. */
  readonly secretType?: string;
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * A Kubernetes Secret synced from the in-region secret store: Terraform only ever writes where the value
 * is, never the value itself, so neither the JSON nor the state holds a credential.
 */
export class ExternalSecret extends Construct {
  readonly secretName: string;
  readonly namespace: string;
  /** The catalog entries this secret reads (what `npm run secrets` and the tests inspect). */
  readonly reads: readonly CatalogEntry[];
  /** The ExternalSecret object: what a consumer that must not start before the Secret exists depends on. */
  readonly manifest: Manifest;

  constructor(scope: Construct, id: string, props: ExternalSecretProps) {
    super(scope, id);
    this.secretName = props.secretName;
    this.namespace = props.namespace;
    const refs = Object.entries(props.data).map(([secretKey, ref]) => ({
      secretKey,
      entry: typeof ref === 'string' ? catalogEntry(props.component, ref) : catalogEntry(ref.component, ref.key),
    }));
    this.reads = refs.map((ref) => ref.entry);
    const target: Record<string, unknown> = { name: props.secretName, creationPolicy: 'Owner', deletionPolicy: 'Retain' };
    const templated = { ...props.literals, ...props.templates };
    if (Object.keys(templated).length > 0 || props.secretType) {
      target.template = { ...(props.secretType ? { type: props.secretType } : {}), mergePolicy: 'Merge', data: templated };
    }
    this.manifest = new Manifest(this, 'manifest', {
      manifest: {
        apiVersion: 'external-secrets.io/v1',
        kind: 'ExternalSecret',
        metadata: { name: props.secretName, namespace: props.namespace, labels: { component: props.component } },
        spec: {
          refreshInterval: '1h',
          secretStoreRef: { kind: 'ClusterSecretStore', name: CLUSTER_SECRET_STORE },
          target,
          data: refs.map(({ secretKey, entry }) => ({
            secretKey,
            remoteRef: { key: secretPath(props.store, props.environment, entry.component, entry.key) },
          })),
        },
      },
      dependsOn: props.dependsOn,
    });
  }
}
