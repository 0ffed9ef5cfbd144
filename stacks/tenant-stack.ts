import { Construct } from 'constructs';
import { TerraformStack } from 'cdktf';
import { EnvironmentConfig, TenantConfig } from '../lib/config/schema';
import { ClusterInfo } from '../lib/cluster/cluster-info';
import { stackName } from '../lib/naming';
import { Tenant } from '../lib/tenancy/tenant';
import { ClusterStack } from './cluster-stack';

/**
 * `<env>-tenant-<id>`: one tenant, in its own state (its own backend key / HCP workspace), so onboarding,
 * changing or removing tenant A plans and applies without ever reading or touching tenant B.
 *
 * Inputs: this tenant's config and ClusterInfo (cross-stack references to the platform stack). The
 * workloads stack's objects are reached by their stable names (lib/tenancy/platform-contract.ts) and the
 * stack declares a dependency on it, so a tenant is never applied before the platform services exist.
 */
export class TenantStack extends ClusterStack {
  readonly tenantId: string;
  readonly tenant: Tenant;

  constructor(scope: Construct, config: EnvironmentConfig, tenant: TenantConfig, cluster: ClusterInfo, workloads?: TerraformStack) {
    // Tenants install no chart (Jobs and manifests only).
    super(scope, stackName(config.name, 'tenant', tenant.id), config, cluster, false);
    this.tenantId = tenant.id;
    this.tenant = new Tenant(this, 'tenant', cluster, {
      environment: config.name,
      tenant,
      workerImage: { repository: config.components.orchestrator.repository, tag: config.components.orchestrator.tag },
      imageOverrides: config.versions.images,
    });
    if (workloads) {
      this.addDependency(workloads);
    }
  }
}
