import { MANAGED_BY } from '../tags';
import { COMPONENT_LABEL } from '../kubernetes/shared-labels';

/**
 * Labels and names every tenant-owned Kubernetes object carries. `tenant_id` is the one key cost
 * attribution, network policies and the policy gate (policies/tenancy) all select on.
 */

export const TENANT_ID_LABEL = 'tenant_id';

/** On every tenant namespace, so platform NetworkPolicies can admit all tenants with one selector. */
export { TENANT_NAMESPACE_LABEL } from '../kubernetes/shared-labels';

/**
 * The marker the policy gate recognises as the tenant's LiteLLM budget (policies/tenancy/tenancy.rego):
 * a label on a Kubernetes object whose value is the budget in USD per budget period.
 */
export const BUDGET_LABEL = 'rag.platform/budget';

export function tenantNamespaceName(tenantId: string): string {
  return `tenant-${tenantId}`;
}

/** `tenant-<id>-<suffix>`: names of tenant objects that live in shared platform namespaces. */
export function tenantObjectName(tenantId: string, suffix: string): string {
  return `tenant-${tenantId}-${suffix}`;
}

export function tenantLabels(tenantId: string, component: string): Record<string, string> {
  return {
    [TENANT_ID_LABEL]: tenantId,
    [COMPONENT_LABEL]: component,
    'app.kubernetes.io/part-of': 'rag-platform',
    'app.kubernetes.io/managed-by': MANAGED_BY,
  };
}

/** Pod Security Admission at `restricted`, enforced and also reported (audit, warn) at the same level. */
export const POD_SECURITY_RESTRICTED: Readonly<Record<string, string>> = {
  'pod-security.kubernetes.io/enforce': 'restricted',
  'pod-security.kubernetes.io/enforce-version': 'latest',
  'pod-security.kubernetes.io/audit': 'restricted',
  'pod-security.kubernetes.io/warn': 'restricted',
};
