import { Construct } from 'constructs';
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { RoleV1 } from '@cdktf/provider-kubernetes/lib/role-v1';
import { RoleBindingV1 } from '@cdktf/provider-kubernetes/lib/role-binding-v1';
import { ORCHESTRATOR_SERVICE_ACCOUNT } from './platform-contract';
import { tenantLabels } from './labels';

export interface TenantCredentialsProps {
  readonly tenantId: string;
  readonly namespace: string;
  /** `spec.provider` of a store that authenticates as the tenant's identity (TenantIdentity). */
  readonly secretStoreProvider: Readonly<Record<string, unknown>>;
  /** Secret-store paths (all under the tenant's prefix). */
  readonly litellmKeyPath: string;
  readonly litellmEmbeddingsKeyPath: string;
  readonly queuePasswordPath: string;
  /** The tenant's Valkey ACL user name (not secret). */
  readonly queueUsername: string;
}

/** The Secret in the tenant namespace and its keys. */
export const TENANT_CREDENTIALS_SECRET = 'tenant-credentials';
export const TENANT_CREDENTIAL_KEYS = {
  litellmKey: 'LITELLM_API_KEY',
  /** The embeddings-only key (TenantEmbeddingsKey): every embedding the tenant's work needs goes with it. */
  litellmEmbeddingsKey: 'LITELLM_EMBEDDINGS_API_KEY',
  queueUsername: 'QUEUE_USERNAME',
  queuePassword: 'QUEUE_PASSWORD',
} as const;

/**
 * The tenant's credentials, delivered only through external-secrets in the tenant namespace:
 * a namespaced SecretStore that reads as the tenant's own identity (a tenant namespace never uses the
 * platform's ClusterSecretStore, nor external-secrets' identity), one
 * ExternalSecret that reads nothing but the tenant's own paths, and read access for the orchestrator's
 * ServiceAccount limited to that one Secret by name.
 */
export class TenantCredentials extends Construct {
  readonly secretName = TENANT_CREDENTIALS_SECRET;
  readonly secretStore: Manifest;
  readonly externalSecret: Manifest;

  constructor(scope: Construct, id: string, props: TenantCredentialsProps) {
    super(scope, id);
    const labels = tenantLabels(props.tenantId, 'credentials');
    this.secretStore = new Manifest(this, 'secret-store', {
      manifest: {
        apiVersion: 'external-secrets.io/v1',
        kind: 'SecretStore',
        metadata: { name: 'tenant-secrets', namespace: props.namespace, labels },
        spec: { provider: props.secretStoreProvider },
      },
    });
    this.externalSecret = new Manifest(this, 'external-secret', {
      manifest: {
        apiVersion: 'external-secrets.io/v1',
        kind: 'ExternalSecret',
        metadata: { name: TENANT_CREDENTIALS_SECRET, namespace: props.namespace, labels },
        spec: {
          refreshInterval: '1h',
          secretStoreRef: { name: 'tenant-secrets', kind: 'SecretStore' },
          target: {
            name: TENANT_CREDENTIALS_SECRET,
            creationPolicy: 'Owner',
            template: {
              metadata: { labels },
              data: {
                // The store holds the key without LiteLLM's `sk-` prefix (see litellm-key.ts).
                [TENANT_CREDENTIAL_KEYS.litellmKey]: 'sk-{{ .litellmKey }}',
                [TENANT_CREDENTIAL_KEYS.litellmEmbeddingsKey]: 'sk-{{ .litellmEmbeddingsKey }}',
                [TENANT_CREDENTIAL_KEYS.queueUsername]: props.queueUsername,
                [TENANT_CREDENTIAL_KEYS.queuePassword]: '{{ .queuePassword }}',
              },
            },
          },
          data: [
            { secretKey: 'litellmKey', remoteRef: { key: props.litellmKeyPath } },
            { secretKey: 'litellmEmbeddingsKey', remoteRef: { key: props.litellmEmbeddingsKeyPath } },
            { secretKey: 'queuePassword', remoteRef: { key: props.queuePasswordPath } },
          ],
        },
      },
      dependsOn: [this.secretStore],
    });
    const role = new RoleV1(this, 'orchestrator-reader', {
      metadata: { name: 'orchestrator-reader', namespace: props.namespace, labels },
      rule: [
        { apiGroups: [''], resources: ['secrets'], resourceNames: [TENANT_CREDENTIALS_SECRET], verbs: ['get'] },
        { apiGroups: [''], resources: ['configmaps'], resourceNames: ['tenant-scope'], verbs: ['get'] },
      ],
    });
    new RoleBindingV1(this, 'orchestrator-reader-binding', {
      metadata: { name: 'orchestrator-reader', namespace: props.namespace, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: role.metadata.name },
      subject: [{ kind: 'ServiceAccount', name: ORCHESTRATOR_SERVICE_ACCOUNT.name, namespace: ORCHESTRATOR_SERVICE_ACCOUNT.namespace }],
    });
  }
}
