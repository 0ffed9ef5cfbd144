import { Construct } from 'constructs';
import { LimitRangeV1 } from '@cdktf/provider-kubernetes/lib/limit-range-v1';
import { tenantLabels } from './labels';

export interface TenantLimitRangeProps {
  readonly tenantId: string;
  readonly namespace: string;
}

/** Defaults for a container that declares no requests or limits. */
export const TENANT_CONTAINER_DEFAULTS = {
  request: { cpu: '100m', memory: '128Mi' },
  limit: { cpu: '500m', memory: '512Mi' },
} as const;

/**
 * With a ResourceQuota on requests/limits, a pod without them is rejected outright; these defaults make
 * such a pod count against the quota instead (and keep a forgotten `resources:` from meaning "unbounded").
 */
export class TenantLimitRange extends Construct {
  readonly limitRange: LimitRangeV1;

  constructor(scope: Construct, id: string, props: TenantLimitRangeProps) {
    super(scope, id);
    this.limitRange = new LimitRangeV1(this, 'limits', {
      metadata: { name: 'tenant-limits', namespace: props.namespace, labels: tenantLabels(props.tenantId, 'quota') },
      spec: {
        limit: [
          {
            type: 'Container',
            defaultRequest: { ...TENANT_CONTAINER_DEFAULTS.request },
            default: { ...TENANT_CONTAINER_DEFAULTS.limit },
          },
        ],
      },
    });
  }
}
