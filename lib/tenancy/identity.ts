import { Construct } from 'constructs';
import { ServiceAccountV1 } from '@cdktf/provider-kubernetes/lib/service-account-v1';
import { ClusterInfo, WorkloadIdentityBinding } from '../cluster/cluster-info';
import { tenantLabels } from './labels';

export interface TenantIdentityProps {
  readonly tenantId: string;
  readonly namespace: string;
  /** Secret-store prefix the identity may read (the tenant's own, nothing else). */
  readonly secretPrefix: string;
}

/**
 * The tenant's workload identity: a ServiceAccount in the tenant namespace bound to a cloud identity
 * (Pod Identity role on EKS, federated credential on AKS) that may read secrets under the tenant's own
 * prefix only. The tenant's pods (ingestion workers) run as it; its token is not mounted unless a pod asks.
 * The tenant's SecretStore authenticates as it too (external-secrets acts as the identity), so nothing in
 * the tenant namespace ever reads with external-secrets' own, platform-wide identity.
 */
export class TenantIdentity extends Construct {
  readonly serviceAccountName: string;
  readonly binding: WorkloadIdentityBinding;
  readonly serviceAccount: ServiceAccountV1;
  /** `spec.provider` of the tenant's SecretStore: reads as this identity, so only under the tenant's prefix. */
  readonly secretStoreProvider: Readonly<Record<string, unknown>>;

  constructor(scope: Construct, id: string, cluster: ClusterInfo, props: TenantIdentityProps) {
    super(scope, id);
    this.serviceAccountName = `tenant-${props.tenantId}`;
    // The identity id doubles as the cloud role name suffix (`<env>-tenant-<id>`), so it is per tenant.
    this.binding = cluster.bindWorkloadIdentity(this, {
      id: `tenant-${props.tenantId}`,
      namespace: props.namespace,
      serviceAccount: this.serviceAccountName,
      readSecretPrefixes: [props.secretPrefix],
      secretStoreIdentity: true,
    });
    if (this.binding.secretStoreProvider === undefined) {
      throw new Error(`the cluster gave tenant ${props.tenantId} no secret store that authenticates as its identity`);
    }
    this.secretStoreProvider = this.binding.secretStoreProvider;
    this.serviceAccount = new ServiceAccountV1(this, 'service-account', {
      metadata: {
        name: this.serviceAccountName,
        namespace: props.namespace,
        labels: tenantLabels(props.tenantId, 'identity'),
        annotations: { ...this.binding.serviceAccountAnnotations },
      },
      automountServiceAccountToken: false,
    });
  }
}
