import { Construct } from 'constructs';
import { ITerraformDependable } from 'cdktf';
import { DiskEncryptionSet } from '@cdktf/provider-azurerm/lib/disk-encryption-set';
import { AzurePlacement, azureTags } from './placement';

export interface NodeDiskEncryptionProps {
  readonly placement: AzurePlacement;
  readonly name: string;
  /** Versionless key id: with auto rotation the set picks up new key versions itself. */
  readonly keyVaultKeyId: string;
  readonly identityId: string;
  readonly dependsOn: ITerraformDependable[];
}

/**
 * The disk encryption set for node OS disks and CSI volumes: our CMK (not a platform key), following
 * key rotation automatically. Host encryption on the pools covers temp disks and caches on top.
 */
export function nodeDiskEncryptionSet(scope: Construct, id: string, props: NodeDiskEncryptionProps): DiskEncryptionSet {
  return new DiskEncryptionSet(scope, id, {
    name: props.name,
    location: props.placement.location,
    resourceGroupName: props.placement.resourceGroupName,
    keyVaultKeyId: props.keyVaultKeyId,
    autoKeyRotationEnabled: true,
    encryptionType: 'EncryptionAtRestWithCustomerKey',
    identity: { type: 'UserAssigned', identityIds: [props.identityId] },
    tags: azureTags(props.placement, 'disk-encryption', props.name),
    dependsOn: props.dependsOn,
  });
}
