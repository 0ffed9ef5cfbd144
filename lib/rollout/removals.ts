import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { REMOVES_ANNOTATION } from '../kubernetes/shared-labels';
import { StackEntry } from './manifest';
import { isTenantStack } from './order';

/**
 * What a stack's destroy removes beyond its own resources, read from its synthesized JSON: the Jobs
 * annotated with REMOVES_ANNOTATION (a tenant's offboarding Jobs) already removed what Terraform's state
 * does not hold. A tenant stack without them leaves its LiteLLM team/key and queue user behind.
 */
export function removalsOf(stack: StackEntry): string[] {
  const config = JSON.parse(readFileSync(path.join(stack.workingDirectory, 'cdk.tf.json'), 'utf8'));
  const jobs = Object.values<any>(config.resource?.kubernetes_job_v1 ?? {});
  const removed = jobs.map((job) => job.metadata?.annotations?.[REMOVES_ANNOTATION]).filter((what): what is string => typeof what === 'string');
  if (removed.length === 0 && isTenantStack(stack.name)) {
    return ['nothing outside the state: not offboarded first (tenants[].offboard: true), so its LiteLLM team/key and queue user remain (docs/tenancy.md)'];
  }
  return removed.sort();
}
