import { Construct } from 'constructs';
import { TerraformStack } from 'cdktf';
import { EnvironmentConfig, TenantConfig } from '../lib/config/schema';
import { ClusterInfo } from '../lib/cluster/cluster-info';
import { stackName } from '../lib/naming';
import { TERRAFORM_REQUIRED_VERSION } from '../lib/versions';
import { addKubernetesProviders } from '../lib/kubernetes/providers';
import { Tenant } from '../lib/tenancy/tenant';
import { configureBackend } from './backend';

/**
 * `<env>-tenant-<id>`: one tenant, in its own state (its own backend key / HCP workspace), so onboarding,
 * changing or removing tenant A plans and applies without ever reading or touching tenant B.
 *
 * Inputs: this tenant's config and ClusterInfo (cross-stack references to the platform stack). The
 * workloads stack's objects are reached by their stable names (lib/tenancy/platform-contract.ts) and the
 * stack declares a dependency on it, so a tenant is never applied before the platform services exist.
 */
export class TenantStack extends TerraformStack {
  readonly tenantId: string;
  readonly tenant: Tenant;

  constructor(scope: Construct, config: EnvironmentConfig, tenant: TenantConfig, cluster: ClusterInfo, workloads?: TerraformStack) {
    const name = stackName(config.name, 'tenant', tenant.id);
    super(scope, name);
    this.tenantId = tenant.id;
    configureBackend(this, config, name);
    this.addOverride('terraform.required_version', TERRAFORM_REQUIRED_VERSION);
    cluster.addCloudProvider(this);
    addKubernetesProviders(this, cluster);
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
