import { Construct } from 'constructs';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { POD_SECURITY_RESTRICTED, TENANT_NAMESPACE_LABEL, tenantLabels, tenantNamespaceName } from './labels';

export interface TenantNamespaceProps {
  readonly tenantId: string;
  readonly dataClassification: string;
}

/**
 * `tenant-<id>`: Pod Security `restricted` enforced by the API server itself (no admission webhook to
 * forget), `tenant_id` for attribution, and the tenant marker platform NetworkPolicies select on.
 */
export class TenantNamespace extends Construct {
  readonly name: string;
  readonly namespace: NamespaceV1;

  constructor(scope: Construct, id: string, props: TenantNamespaceProps) {
    super(scope, id);
    this.name = tenantNamespaceName(props.tenantId);
    this.namespace = new NamespaceV1(this, 'namespace', {
      metadata: {
        name: this.name,
        labels: {
          ...tenantLabels(props.tenantId, 'tenant'),
          ...POD_SECURITY_RESTRICTED,
          [TENANT_NAMESPACE_LABEL]: 'true',
          'rag.platform/data-classification': props.dataClassification,
        },
      },
    });
  }
}
