import { App } from 'cdktf';
import { EnvironmentConfig, TenantConfig } from '../lib/config/schema';
import { needsStateStack, StateStack } from '../stacks/state-stack';
import { PlatformStack } from '../stacks/platform-stack';
import { AddonsStack } from '../stacks/addons-stack';
import { WorkloadsStack } from '../stacks/workloads-stack';
import { TenantStack } from '../stacks/tenant-stack';
import { synthApp } from './synth-app';

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
 * the same config always gives byte-identical output. `tenants` (default: every tenant of the config)
 * are the tenant stacks to build: the synth's worker threads each build a share of them
 * (apps/sharded-synth.ts); the shared stacks never depend on which tenant stacks exist.
 */
export function buildEnvironment(config: EnvironmentConfig, outdir: string, tenants: readonly TenantConfig[] = config.tenants): BuiltEnvironment {
  const app = synthApp(outdir);
  const state = needsStateStack(config) ? new StateStack(app, config) : undefined;
  const platform = new PlatformStack(app, config);
  const addons = new AddonsStack(app, config, platform.clusterInfo);
  const workloads = new WorkloadsStack(app, config, platform.clusterInfo, addons);
  return {
    app,
    state,
    platform,
    addons,
    workloads,
    tenants: tenants.map((tenant) => new TenantStack(app, config, tenant, platform.clusterInfo, workloads)),
  };
}
