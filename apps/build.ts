import { App } from 'cdktf';
import { EnvironmentConfig } from '../lib/config/schema';
import { needsStateStack, StateStack } from '../stacks/state-stack';
import { PlatformStack } from '../stacks/platform-stack';
import { AddonsStack } from '../stacks/addons-stack';
import { WorkloadsStack } from '../stacks/workloads-stack';
import { TenantStack } from '../stacks/tenant-stack';

export interface BuiltEnvironment {
  readonly app: App;
  readonly state?: StateStack;
  readonly platform: PlatformStack;
  readonly addons: AddonsStack;
  readonly workloads: WorkloadsStack;
  /** One stack (one state) per tenant, in config order. */
  readonly tenants: TenantStack[];
}

/**
 * Composes one environment's stacks in deployment order. Pure: no file, clock or network access, so
 * the same config always gives byte-identical output.
 */
export function buildEnvironment(config: EnvironmentConfig, outdir: string): BuiltEnvironment {
  // Stack traces in the manifest would make output depend on the checkout's location.
  const app = new App({ outdir, stackTraces: false, skipValidation: false });
  const state = needsStateStack(config) ? new StateStack(app, config) : undefined;
  const platform = new PlatformStack(app, config);
  const addons = new AddonsStack(app, config, platform.clusterInfo);
  const workloads = new WorkloadsStack(app, config, platform.clusterInfo, addons);
  const tenants = config.tenants.map((tenant) => new TenantStack(app, config, tenant, platform.clusterInfo, workloads));
  return { app, state, platform, addons, workloads, tenants };
}
