import { Construct } from 'constructs';
import { StorageClassV1 } from '@cdktf/provider-kubernetes/lib/storage-class-v1';
import { EncryptedStorageClass } from '../cluster/cluster-info';

/** The name every persistent volume of the platform uses (Qdrant, Langfuse stores, LiteLLM's Postgres). */
export const ENCRYPTED_STORAGE_CLASS = 'encrypted';

/**
 * The cluster's default StorageClass: CMK-encrypted volumes, kept on release (Retain: deleting a PVC by
 * mistake must not delete vectors or traces), bound in the pod's zone, expandable in place.
 */
export class EncryptedDefaultStorageClass extends Construct {
  readonly storageClass: StorageClassV1;

  constructor(scope: Construct, id: string, props: { readonly definition: EncryptedStorageClass }) {
    super(scope, id);
    this.storageClass = new StorageClassV1(this, 'storage-class', {
      metadata: {
        name: ENCRYPTED_STORAGE_CLASS,
        annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' },
      },
      storageProvisioner: props.definition.provisioner,
      parameters: { ...props.definition.parameters },
      reclaimPolicy: 'Retain',
      volumeBindingMode: 'WaitForFirstConsumer',
      allowVolumeExpansion: true,
    });
  }
}
