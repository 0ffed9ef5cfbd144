import { Construct } from 'constructs';
import { ITerraformDependable } from 'cdktf';
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { SecretStoreInfo } from '../cluster/cluster-info';
import { CLUSTER_SECRET_STORE, pushSecretEntry, secretPath } from './external-secret';
import { CatalogEntry, generatedEntries } from './secret-catalog';

export interface GeneratedPlatformSecretsProps {
  readonly store: SecretStoreInfo;
  readonly environment: string;
  /** Where the generators and PushSecrets live: a namespace the ClusterSecretStore serves, with no workloads. */
  readonly namespace: string;
  /** The ClusterSecretStore the PushSecrets write through. */
  readonly dependsOn: ITerraformDependable[];
}

/** The secret-store path of every generated entry: external-secrets may write exactly these. */
export function generatedSecretPaths(store: SecretStoreInfo, environment: string): string[] {
  return generatedEntries().map((entry) => secretPath(store, environment, entry.component, entry.key));
}

/**
 * The platform's internal credentials, born in-region: one external-secrets `Password` generator and one
 * `PushSecret` per generated catalog entry (lib/kubernetes/secret-catalog.ts). The PushSecret writes the
 * value to the secret store once (`updatePolicy: IfNotExists`: a re-sync or a re-apply never rotates a
 * credential behind its consumers) and keeps it when the object goes (`deletionPolicy: None`: destroying
 * the workloads stack must not lose the database passwords its volumes were initialised with).
 * Terraform waits until each PushSecret reports Ready, so the ExternalSecrets created after it find their
 * entries on the first sync. Neither the configuration, the plan nor the state ever holds a value.
 */
export class GeneratedPlatformSecrets extends Construct {
  /** The PushSecrets: what readers depend on. */
  readonly pushSecrets: Manifest[];

  constructor(scope: Construct, id: string, props: GeneratedPlatformSecretsProps) {
    super(scope, id);
    this.pushSecrets = generatedEntries().map((entry) => this.generate(entry, props));
  }

  private generate(entry: CatalogEntry, props: GeneratedPlatformSecretsProps): Manifest {
    if (entry.source.source !== 'generated') {
      throw new Error(`${entry.component}/${entry.key} is not a generated secret`);
    }
    const name = `${entry.component}-${entry.key}`;
    const labels = { 'app.kubernetes.io/managed-by': 'terraform', component: entry.component };
    const scope = new Construct(this, name);
    const generator = new Manifest(scope, 'generator', {
      manifest: {
        apiVersion: 'generators.external-secrets.io/v1alpha1',
        kind: 'Password',
        metadata: { name, namespace: props.namespace, labels },
        spec: {
          length: entry.source.length,
          digits: Math.floor(entry.source.length / 4),
          symbols: 0,
          noUpper: false,
          allowRepeat: true,
          ...(entry.source.encoding ? { encoding: entry.source.encoding } : {}),
        },
      },
      dependsOn: props.dependsOn,
    });
    return new Manifest(scope, 'push-secret', {
      manifest: {
        apiVersion: 'external-secrets.io/v1alpha1',
        kind: 'PushSecret',
        metadata: { name, namespace: props.namespace, labels },
        spec: {
          refreshInterval: '1h',
          updatePolicy: 'IfNotExists',
          deletionPolicy: 'None',
          secretStoreRefs: [{ name: CLUSTER_SECRET_STORE, kind: 'ClusterSecretStore' }],
          selector: { generatorRef: { apiVersion: 'generators.external-secrets.io/v1alpha1', kind: 'Password', name } },
          data: [pushSecretEntry(props.store, secretPath(props.store, props.environment, entry.component, entry.key))],
        },
      },
      wait: { condition: [{ type: 'Ready', status: 'True' }] },
      dependsOn: [generator],
    });
  }
}
