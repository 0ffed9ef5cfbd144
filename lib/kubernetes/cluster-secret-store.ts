import { Construct } from 'constructs';
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { SecretStoreInfo } from '../cluster/cluster-info';
import { CLUSTER_SECRET_STORE } from './external-secret';

export interface ClusterSecretStoreProps {
  readonly store: SecretStoreInfo;
  /** Namespaces the workloads in scope read secrets in (the store serves only these). */
  readonly namespaces: readonly string[];
}

/**
 * The platform's ClusterSecretStore: every ExternalSecret of the platform reads through it, as
 * external-secrets' own workload identity. A custom resource, so it belongs to a stack applied after the
 * one whose external-secrets release installs the CRD.
 */
export class ClusterSecretStore extends Manifest {
  constructor(scope: Construct, id: string, props: ClusterSecretStoreProps) {
    super(scope, id, {
      manifest: {
        apiVersion: 'external-secrets.io/v1',
        kind: 'ClusterSecretStore',
        metadata: { name: CLUSTER_SECRET_STORE },
        spec: {
          provider: props.store.provider,
          // Only the platform's namespaces may use the store (tenant stacks add their own scoped stores).
          conditions: [{ namespaces: [...props.namespaces] }],
        },
      },
    });
  }
}
