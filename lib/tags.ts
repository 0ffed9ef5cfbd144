/**
 * Tags and labels every resource carries, so an auditor can attribute any resource to an environment,
 * a component and (where it applies) a tenant from the synthesized configuration alone.
 */

export const MANAGED_BY = 'cdktf-sovereign-rag';

/** Applied through the provider's default tags (AWS) or on each resource (Azure). */
export function environmentTags(environment: string, extra: Readonly<Record<string, string>>): Record<string, string> {
  return { ...extra, environment, 'managed-by': MANAGED_BY };
}

/** Per-resource tags on top of the environment's: which part of the platform the resource belongs to. */
export function componentTags(component: string, name?: string): Record<string, string> {
  return name === undefined ? { component } : { component, Name: name };
}
