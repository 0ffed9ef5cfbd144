import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { REMOVES_ANNOTATION } from '../kubernetes/shared-labels';
import { StackEntry } from './manifest';
import { isTenantStack } from './order';

/** A Job of a stack's synthesized JSON that removes something outside Terraform's state. */
export interface RemovalJob {
  /** Its Terraform address, as `terraform state list` / `show -json` print it. */
  readonly address: string;
  /** What it removes (its REMOVES_ANNOTATION). */
  readonly removes: string;
}

/**
 * The Jobs of a stack's synthesized JSON annotated with REMOVES_ANNOTATION (a tenant's offboarding
 * Jobs, lib/tenancy/offboarding.ts), sorted by address.
 */
export function removalJobsOf(stack: StackEntry): RemovalJob[] {
  const config = JSON.parse(readFileSync(path.join(stack.workingDirectory, 'cdk.tf.json'), 'utf8'));
  return Object.entries<any>(config.resource?.kubernetes_job_v1 ?? {})
    .map(([name, job]) => ({ address: `kubernetes_job_v1.${name}`, removes: job.metadata?.annotations?.[REMOVES_ANNOTATION] }))
    .filter((job): job is RemovalJob => typeof job.removes === 'string')
    .sort((a, b) => a.address.localeCompare(b.address));
}

/**
 * What a stack's destroy removes beyond its own resources: its offboarding Jobs already removed what
 * Terraform's state does not hold. A tenant stack without them leaves its LiteLLM team/key and queue user
 * behind (only possible with `destroy --skip-offboarding`, lib/rollout/offboarding-gate.ts).
 */
export function removalsOf(stack: StackEntry): string[] {
  const removed = removalJobsOf(stack).map((job) => job.removes);
  if (removed.length === 0 && isTenantStack(stack.name)) {
    return ['nothing outside the state: not offboarded first (tenants[].offboard: true), so its LiteLLM team/key and queue user remain (docs/tenancy.md)'];
  }
  return removed.sort();
}
