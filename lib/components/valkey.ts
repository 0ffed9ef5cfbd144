import { ClusterInfo } from '../cluster/cluster-info';
import { Pins } from '../kubernetes/pins';
import { ENCRYPTED_STORAGE_CLASS } from '../kubernetes/storage-class';
import { Values } from '../kubernetes/values';

export interface ValkeyValuesProps {
  readonly cluster: ClusterInfo;
  readonly pins: Pins;
  /** Secret (synced by external-secrets) holding one key per ACL user: the user's password. */
  readonly usersSecret: string;
  /** ACL users the chart writes at pod start (`permissions` = ACL rules). `default` must be one of them. */
  readonly aclUsers: Readonly<Record<string, { readonly permissions: string }>>;
  readonly storageGi: number;
}

/** The container port the valkey chart (valkey-io/valkey-helm) serves on (`service.port` = container port). */
export const VALKEY_PORT = 6379;

/**
 * Values of the pinned valkey chart (`pins.charts.valkey`) shared by every Valkey of the platform
 * (LiteLLM's rate-limit store, the tenants' ingestion queue): the mirrored image pin, ACL auth with the
 * passwords from an existing Secret, and a volume on the encrypted storage class.
 */
export function valkeyValues(props: ValkeyValuesProps): Values {
  const vk = props.pins.images.valkey;
  return {
    image: { registry: props.cluster.imageMirror, repository: vk.repository, tag: vk.tag },
    auth: {
      enabled: true,
      usersExistingSecret: props.usersSecret,
      aclUsers: Object.fromEntries(Object.entries(props.aclUsers).map(([user, acl]) => [user, { permissions: acl.permissions }])),
    },
    dataStorage: { enabled: true, requestedSize: `${props.storageGi}Gi`, className: ENCRYPTED_STORAGE_CLASS },
  };
}
