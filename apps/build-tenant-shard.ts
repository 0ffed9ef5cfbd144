import { App, TerraformStack } from 'cdktf';
import { EnvironmentConfig, TenantConfig } from '../lib/config/schema';
import { stackName } from '../lib/naming';
import { PlatformStack } from '../stacks/platform-stack';
import { TenantStack } from '../stacks/tenant-stack';
import { synthApp } from './synth-app';

export interface TenantShard {
  readonly app: App;
  readonly tenants: TenantStack[];
}

/**
 * What a worker thread of the sharded synth builds (apps/sharded-synth.ts): the platform stack, which the
 * tenant stacks reference (ClusterInfo), and the given tenants' stacks. The add-ons and workloads stacks
 * are not built: a tenant stack only names the workloads stack as a dependency, so an empty stack of the
 * same name stands in for it; it is never synthesized. This module imports neither of those stacks, so
 * a worker does not load the modules only they use. The tenant stacks come out exactly as from
 * `buildEnvironment` (apps/build.ts).
 */
export function buildTenantShard(config: EnvironmentConfig, outdir: string, tenants: readonly TenantConfig[]): TenantShard {
  const app = synthApp(outdir);
  const platform = new PlatformStack(app, config);
  const workloads = new TerraformStack(app, stackName(config.name, 'workloads'));
  return { app, tenants: tenants.map((tenant) => new TenantStack(app, config, tenant, platform.clusterInfo, workloads)) };
}
