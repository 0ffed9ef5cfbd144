import { Construct } from 'constructs';
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { StoreAccess } from './controller-store';
import { pushSecretEntry } from '../kubernetes/external-secret';
import { tenantLabels } from './labels';

export interface GeneratedTenantSecretProps {
  readonly tenantId: string;
  /** Namespace the generator and PushSecret live in (the platform namespace of the consumer). */
  readonly namespace: string;
  /** Object name, `tenant-<id>-<what>`. */
  readonly name: string;
  /** Full secret-store path under the tenant's prefix. */
  readonly remoteKey: string;
  readonly length: number;
  readonly component: string;
  /** PushSecret `metadata` that makes the store encrypt the secret with the platform's secrets key (SecretStoreInfo). */
  readonly pushMetadata?: Readonly<Record<string, unknown>>;
  /** The store the PushSecret writes through (the tenant's own where the cloud gives it one: Tenant). */
  readonly store: StoreAccess;
}

/**
 * A random credential that is born in the cluster and lives in the secret store: an external-secrets
 * `Password` generator feeds a `PushSecret` that writes the value to `remoteKey` once (`updatePolicy:
 * IfNotExists`, so re-syncs never rotate it behind the consumers' back) and deletes it when the tenant is
 * removed (`deletionPolicy: Delete`). Terraform only ever sees the generator's parameters: the value is
 * not in the configuration, the plan or the state.
 */
export class GeneratedTenantSecret extends Construct {
  readonly generator: Manifest;
  readonly pushSecret: Manifest;

  constructor(scope: Construct, id: string, props: GeneratedTenantSecretProps) {
    super(scope, id);
    const labels = tenantLabels(props.tenantId, props.component);
    this.generator = new Manifest(this, 'generator', {
      manifest: {
        apiVersion: 'generators.external-secrets.io/v1alpha1',
        kind: 'Password',
        metadata: { name: props.name, namespace: props.namespace, labels },
        // Letters and digits only: the value goes into HTTP headers and Redis AUTH unescaped.
        spec: { length: props.length, digits: Math.floor(props.length / 4), symbols: 0, noUpper: false, allowRepeat: true },
      },
    });
    this.pushSecret = new Manifest(this, 'push-secret', {
      manifest: {
        apiVersion: 'external-secrets.io/v1alpha1',
        kind: 'PushSecret',
        metadata: { name: props.name, namespace: props.namespace, labels },
        spec: {
          refreshInterval: '1h',
          updatePolicy: 'IfNotExists',
          deletionPolicy: 'Delete',
          secretStoreRefs: [{ ...props.store.ref }],
          selector: { generatorRef: { apiVersion: 'generators.external-secrets.io/v1alpha1', kind: 'Password', name: props.name } },
          data: [pushSecretEntry({ pushSecretMetadata: props.pushMetadata }, props.remoteKey)],
        },
      },
      dependsOn: [this.generator, ...props.store.dependsOn],
    });
  }
}
