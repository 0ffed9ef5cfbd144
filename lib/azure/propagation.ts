import { Construct } from 'constructs';
import { TerraformStack } from 'cdktf';
import { TimeProvider } from '@cdktf/provider-time/lib/provider';
import { Sleep } from '@cdktf/provider-time/lib/sleep';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';

/**
 * How long a new Azure role assignment needs before data-plane and resource-provider checks honour it.
 * Microsoft documents "up to 10 minutes" in the worst case; two minutes covers the ForbiddenByRbac and
 * "identity cannot access key" failures reported on first applies (AVM key vault #78, azurerm #24064)
 * without making every apply ten minutes longer. A failed apply after this wait is safe to re-run.
 */
export const ROLE_PROPAGATION_WAIT = '120s';

/** The hashicorp/time provider, once per stack (the prebuilt @cdktf/provider-time binding). */
function timeProvider(scope: Construct): void {
  const stack = TerraformStack.of(scope);
  if (!stack.node.tryFindChild('time')) {
    new TimeProvider(stack, 'time', {});
  }
}

/**
 * A `time_sleep` after one group of role assignments: whatever uses the grants depends on this wait, not
 * on the assignments themselves. The assignments' ids are triggers, so a replaced grant waits again.
 */
export function afterPropagation(scope: Construct, id: string, grants: readonly RoleAssignment[]): Sleep {
  timeProvider(scope);
  return new Sleep(scope, id, {
    createDuration: ROLE_PROPAGATION_WAIT,
    triggers: Object.fromEntries(grants.map((grant, index) => [`grant_${index}`, grant.id])),
    dependsOn: [...grants],
  });
}
