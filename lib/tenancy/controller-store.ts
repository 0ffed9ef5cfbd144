import { Construct } from 'constructs';
import { ITerraformDependable } from 'cdktf';
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { PLATFORM_NAMESPACES, PLATFORM_SECRET_STORE_REF, SecretStoreRef } from './platform-contract';
import { tenantLabels, tenantObjectName } from './labels';

/** A store the tenant's platform-side objects go through, and what they must be created after (deleted before). */
export interface StoreAccess {
  readonly ref: SecretStoreRef;
  readonly dependsOn: readonly ITerraformDependable[];
}

/** The platform namespaces where a tenant stack pushes and reads the tenant's secrets as the controller. */
const CONTROLLER_NAMESPACES = [PLATFORM_NAMESPACES.llmGateway, PLATFORM_NAMESPACES.data] as const;
export type ControllerNamespace = (typeof CONTROLLER_NAMESPACES)[number];

export interface TenantControllerStoresProps {
  readonly tenantId: string;
  /** `WorkloadIdentityBinding.controllerSecretStoreProvider` of the tenant identity; undefined: the platform's store holds the tenant's secrets. */
  readonly provider?: Readonly<Record<string, unknown>>;
  /** The cloud grants that let the controller use `provider` (the binding's resources). */
  readonly dependsOn?: readonly ITerraformDependable[];
}

/**
 * The stores through which the platform's side of a tenant (the PushSecrets that generate its credentials
 * and the provisioning Jobs' ExternalSecrets in `llm-gateway` and `data`) reaches the tenant's secrets.
 * Where the cloud keeps them in the platform's store (EKS) that is the platform ClusterSecretStore. Where
 * it gives the tenant a store of its own (AKS: the tenant's Key Vault), a SecretStore `tenant-<id>-secrets`
 * in each of those namespaces, on that vault, as the controller's own identity (which holds Secrets
 * Officer there; the tenant identity only Secrets User). Namespaced, not a ClusterSecretStore: a tenant
 * stack creates no cluster-wide store (policy), and no other namespace can use these.
 */
export class TenantControllerStores extends Construct {
  private readonly access: Record<ControllerNamespace, StoreAccess>;

  constructor(scope: Construct, id: string, props: TenantControllerStoresProps) {
    super(scope, id);
    const { provider } = props;
    const storeIn = (namespace: ControllerNamespace): StoreAccess => {
      if (provider === undefined) {
        return { ref: PLATFORM_SECRET_STORE_REF, dependsOn: [] };
      }
      const name = tenantObjectName(props.tenantId, 'secrets');
      const store = new Manifest(this, `store-${namespace}`, {
        manifest: {
          apiVersion: 'external-secrets.io/v1',
          kind: 'SecretStore',
          metadata: { name, namespace, labels: tenantLabels(props.tenantId, 'credentials') },
          spec: { provider },
        },
        dependsOn: props.dependsOn ? [...props.dependsOn] : undefined,
      });
      // A PushSecret deletes its secret (deletionPolicy: Delete) through the store: the store must outlive it.
      return { ref: { name, kind: 'SecretStore' }, dependsOn: [store] };
    };
    this.access = Object.fromEntries(CONTROLLER_NAMESPACES.map((namespace) => [namespace, storeIn(namespace)])) as Record<ControllerNamespace, StoreAccess>;
  }

  /** The store for objects in `namespace`. */
  in(namespace: ControllerNamespace): StoreAccess {
    return this.access[namespace];
  }
}
