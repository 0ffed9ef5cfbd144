import { ConfigError } from './errors';
import { EnvironmentConfig } from './schema';

/**
 * `npm run offboard -- --tenant <id>` (lib/rollout/offboard.ts): the environment as the file says, with
 * that tenant's `offboard` forced on, in memory (the file is not edited). `offboard` feeds no validation
 * rule, so the validated config stays valid. An id that is not a tenant of the file is a problem of the
 * `tenants` field, naming the ids it has.
 */
export function withTenantOffboarded(config: EnvironmentConfig, tenantId: string, file: string): EnvironmentConfig {
  if (!config.tenants.some((tenant) => tenant.id === tenantId)) {
    const ids = config.tenants.map((tenant) => tenant.id);
    throw new ConfigError(file, [
      { path: ['tenants'], message: `has no tenant with id "${tenantId}" to offboard${ids.length === 0 ? ' (it lists no tenant)' : ''}`, ...(ids.length === 0 ? {} : { allowed: ids }) },
    ]);
  }
  return { ...config, tenants: config.tenants.map((tenant) => (tenant.id === tenantId ? { ...tenant, offboard: true } : tenant)) };
}
