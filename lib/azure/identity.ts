import { Construct } from 'constructs';
import { UserAssignedIdentity } from '@cdktf/provider-azurerm/lib/user-assigned-identity';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { AzurePlacement, azureTags } from './placement';

export interface ManagedIdentityProps {
  readonly placement: AzurePlacement;
  readonly name: string;
  readonly component: string;
}

/**
 * A user-assigned managed identity and the role assignments it holds. User-assigned (not system-assigned)
 * so the grants exist before the resource that uses the identity is created: a storage account or a
 * cluster whose CMK the identity cannot read yet fails at creation.
 */
export class ManagedIdentity extends Construct {
  readonly identity: UserAssignedIdentity;
  readonly assignments: RoleAssignment[] = [];

  constructor(scope: Construct, id: string, props: ManagedIdentityProps) {
    super(scope, id);
    this.identity = new UserAssignedIdentity(this, 'identity', {
      name: props.name,
      location: props.placement.location,
      resourceGroupName: props.placement.resourceGroupName,
      tags: azureTags(props.placement, props.component, props.name),
    });
  }

  /** Grants `role` on `scopeId` only; `id` is the construct id (stable: it is the Terraform address). */
  grant(id: string, role: string, scopeId: string): RoleAssignment {
    const assignment = new RoleAssignment(this, id, {
      principalId: this.identity.principalId,
      principalType: 'ServicePrincipal',
      roleDefinitionName: role,
      scope: scopeId,
      // A new identity takes a while to replicate in Entra ID; the check would fail the first apply.
      skipServicePrincipalAadCheck: true,
    });
    this.assignments.push(assignment);
    return assignment;
  }
}
