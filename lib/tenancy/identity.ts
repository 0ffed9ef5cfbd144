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
 */
export class TenantIdentity extends Construct {
  readonly serviceAccountName: string;
  readonly binding: WorkloadIdentityBinding;
  readonly serviceAccount: ServiceAccountV1;

  constructor(scope: Construct, id: string, cluster: ClusterInfo, props: TenantIdentityProps) {
    super(scope, id);
    this.serviceAccountName = `tenant-${props.tenantId}`;
    // The identity id doubles as the cloud role name suffix (`<env>-tenant-<id>`), so it is per tenant.
    this.binding = cluster.bindWorkloadIdentity(this, {
      id: `tenant-${props.tenantId}`,
      namespace: props.namespace,
      serviceAccount: this.serviceAccountName,
      readSecretPrefixes: [props.secretPrefix],
    });
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
