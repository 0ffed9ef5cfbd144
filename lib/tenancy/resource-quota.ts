import { Construct } from 'constructs';
import { ResourceQuotaV1 } from '@cdktf/provider-kubernetes/lib/resource-quota-v1';
import { tenantLabels } from './labels';

export interface TenantResourceQuotaProps {
  readonly tenantId: string;
  readonly namespace: string;
  readonly cpu: string;
  readonly memory: string;
  readonly pods: number;
}

/**
 * The tenant's ceiling in the shared cluster. Requests and limits are both capped at the configured
 * amount, so one tenant can neither reserve nor burst into another tenant's share. GPUs, node ports and
 * load balancers are zero: tenants use the shared TEI/LiteLLM services and are never exposed directly.
 */
export class TenantResourceQuota extends Construct {
  readonly quota: ResourceQuotaV1;

  constructor(scope: Construct, id: string, props: TenantResourceQuotaProps) {
    super(scope, id);
    this.quota = new ResourceQuotaV1(this, 'quota', {
      metadata: { name: 'tenant-quota', namespace: props.namespace, labels: tenantLabels(props.tenantId, 'quota') },
      spec: {
        hard: {
          'requests.cpu': props.cpu,
          'limits.cpu': props.cpu,
          'requests.memory': props.memory,
          'limits.memory': props.memory,
          pods: String(props.pods),
          'requests.nvidia.com/gpu': '0',
          'services.loadbalancers': '0',
          'services.nodeports': '0',
        },
      },
    });
  }
}
