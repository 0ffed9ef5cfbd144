import { Construct } from 'constructs';
import { ITerraformDependable, TerraformStack } from 'cdktf';
import { ImageKey } from '../versions';

/**
 * The cloud-neutral seam: everything the workloads layer needs to know about a cluster. EKS and AKS
 * each produce one (lib/aws/eks-cluster-info.ts, lib/azure/aks-cluster-info.ts); nothing under
 * lib/kubernetes or lib/components looks at the cloud. Values may be Terraform tokens that point at
 * another stack: cdktf turns them into remote-state references.
 */

/** How the kubernetes and helm providers reach the API: exec plugin only, never a token in the JSON. */
export interface KubernetesAccess {
  readonly host: string;
  /** PEM (already base64-decoded). */
  readonly clusterCaCertificate: string;
  readonly exec: {
    readonly apiVersion: string;
    readonly command: string;
    readonly args: string[];
  };
}

export interface Toleration {
  readonly key: string;
  readonly operator: 'Equal' | 'Exists';
  readonly value?: string;
  readonly effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

export interface PoolPlacement {
  readonly nodeSelector: Readonly<Record<string, string>>;
  readonly tolerations: readonly Toleration[];
}

export interface GpuPoolPlacement extends PoolPlacement {
  /** `L4`, `T4` or `A10`: TEI picks its image build from it. */
  readonly family: string;
  /** The cloud installs the NVIDIA driver on the node image (EKS NVIDIA AMI, AKS default). */
  readonly driverPreinstalled: boolean;
}

/** An encrypted StorageClass's definition; the addons stack creates it and makes it the default. */
export interface EncryptedStorageClass {
  readonly provisioner: string;
  readonly parameters: Readonly<Record<string, string>>;
}

/** What a workload needs to reach the cloud as itself (IRSA/Pod Identity on AWS, federated credential on Azure). */
export interface WorkloadIdentityRequest {
  /** Stable id, used in construct ids and cloud resource names. */
  readonly id: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  /** Read secrets under these secret-store path prefixes (e.g. `rag/<env>/litellm/`). */
  readonly readSecretPrefixes?: readonly string[];
  /**
   * Create and write secrets under these prefixes (external-secrets PushSecrets, e.g. `rag/<env>/tenants/`).
   * Clouds that cannot scope writes by name prefix grant them on the whole store and say so.
   */
  readonly writeSecretPrefixes?: readonly string[];
  /** Read and write objects under this prefix of the platform bucket/container. */
  readonly objectStoragePrefix?: string;
  /**
   * With objectStoragePrefix: the workload checks that the bucket exists before writing (barman-cloud's
   * empty-archive check: S3 HeadBucket). S3 authorises HeadBucket as `s3:ListBucket` without a prefix, so on
   * S3 this also lets the identity list the bucket's key names (never read or write other prefixes).
   */
  readonly objectStorageBucketCheck?: boolean;
  /** Read (list and get, never write) objects under these prefixes of the platform bucket/container. */
  readonly readObjectPrefixes?: readonly string[];
  /**
   * Invoke these models of the cloud's own LLM service (`ClusterInfo.llmProvider`), and nothing else of it.
   * Models of another provider are ignored here: they are called with keys over an interconnect.
   */
  readonly invokeModels?: readonly LlmModelRef[];
  /**
   * Cloud control the workload exercises on behalf of the cluster (only the in-cluster controllers of
   * ClusterInfo.addOns ask for these); each cloud grants its least-privilege set for the role, scoped to
   * this cluster's resources, and refuses a role it has no use for.
   */
  readonly cloudControl?: CloudControlRole;
  /**
   * external-secrets reads this workload's secrets as this identity, never as itself: the binding returns
   * the `spec.provider` of a namespaced SecretStore that authenticates as the identity, so a store in a
   * tenant namespace can reach nothing beyond `readSecretPrefixes`.
   */
  readonly secretStoreIdentity?: boolean;
  /**
   * For the secret-store controller only: ids of the `secretStoreIdentity` identities it may act as when it
   * serves their SecretStores (`*` matches any characters: `tenant-*`). Clouds that authenticate the store
   * with the workload's own ServiceAccount token (AKS) need no cloud grant for it.
   */
  readonly actAsIdentities?: readonly string[];
}

/** Workload identity id of the secret-store controller (external-secrets), which `secretStoreIdentity` roles trust. */
export const SECRET_STORE_CONTROLLER_ID = 'external-secrets';

/** An LLM model as the environment file names it. */
export interface LlmModelRef {
  readonly provider: 'azure-openai' | 'bedrock';
  readonly region: string;
  /** Bedrock model or inference-profile id; Azure OpenAI deployment name. */
  readonly model: string;
}

/** `node-autoscaler`: resize this cluster's node groups. `load-balancer-controller`: manage its load balancers. */
export type CloudControlRole = 'node-autoscaler' | 'load-balancer-controller';

export interface WorkloadIdentityBinding {
  /** Annotations for the Kubernetes ServiceAccount. */
  readonly serviceAccountAnnotations: Readonly<Record<string, string>>;
  /** Labels the pods need (Azure workload identity's `azure.workload.identity/use`). */
  readonly podLabels: Readonly<Record<string, string>>;
  /**
   * The cloud resources that make the binding work (association, role policy, federation). Pods created
   * before they exist start without credentials (Pod Identity injects them at pod admission), so a release
   * whose pods use the identity depends on these.
   */
  readonly resources?: readonly ITerraformDependable[];
  /** With `secretStoreIdentity`: the `spec.provider` of a SecretStore in the workload's namespace that reads as this identity. */
  readonly secretStoreProvider?: Readonly<Record<string, unknown>>;
  /**
   * With `secretStoreIdentity`, where the cloud keeps the workload's secrets in a store of their own (AKS: a
   * Key Vault per workload, because Key Vault RBAC has no name-prefix scope): the `spec.provider` with which
   * the secret-store controller, as itself, writes (PushSecret) and reads those secrets from the platform's
   * namespaces. Undefined where they live in the platform's store (EKS: IAM scopes by name prefix).
   */
  readonly controllerSecretStoreProvider?: Readonly<Record<string, unknown>>;
}

/** The `spec.provider` of an external-secrets ClusterSecretStore bound by workload identity. */
export interface SecretStoreInfo {
  readonly kind: 'aws-secrets-manager' | 'azure-key-vault';
  readonly provider: Readonly<Record<string, unknown>>;
  /** How secret names are written for a path: `rag/<env>/<component>/<key>` on AWS, `rag-<env>-...` on Key Vault. */
  readonly separator: '/' | '-';
  /**
   * `metadata` of a PushSecret data entry, so a secret external-secrets creates is encrypted with the
   * platform's secrets key (AWS: `kmsKeyID` of the secrets CMK; the provider default is the AWS-managed
   * key). Undefined where the vault's own key protects every secret (Key Vault).
   */
  readonly pushSecretMetadata?: Readonly<Record<string, unknown>>;
}

export interface ObjectStorageInfo {
  /** Bucket (S3) or container (Blob) for backups and Langfuse blobs. */
  readonly bucket: string;
  /** S3 region, or the Blob endpoint for Azure. */
  readonly endpoint: string;
  readonly kind: 's3' | 'azure-blob';
  /**
   * The cloud CLI image (key of IMAGES, pulled from the mirror) that reaches this storage as a workload
   * identity: `aws` (S3) or `az` (Blob). Both images also carry a python3 (docs/restore.md).
   */
  readonly cliImage: ImageKey;
  /** The URL of a prefix (`s3://<bucket>/<prefix>`, `https://<account>.blob.../<container>/<prefix>`), for annotations and reports. */
  location(prefix: string): string;
  /**
   * How a container running as a workload identity with `readObjectPrefixes` copies every object under
   * `prefix` into `directory`, keeping each object's full key as its path below `directory` (so the object
   * `models/a/b/config.json` lands at `<directory>/models/a/b/config.json`). Same layout on every cloud.
   */
  downloadPrefix(prefix: string, directory: string): ObjectDownload;
  /**
   * Per component (the secret-store component name), where that component's storage client cannot use
   * the cloud's workload identity for this storage: a storage account holding that component's data
   * alone, reached with an account key kept in the secret store. Today only Langfuse on Azure Blob (its
   * client takes an account name and key, never a token). A component absent here writes to `bucket`
   * with its workload identity.
   */
  readonly accountKeyStores: Readonly<Record<string, AccountKeyObjectStore>>;
}

/** Object storage reached with an account name and key; the key is a secret-store entry, never a value. */
export interface AccountKeyObjectStore {
  /** Container (bucket) the application writes to. */
  readonly bucket: string;
  readonly endpoint: string;
  readonly accountName: string;
  /** The secret-store entry (`rag/<env>/<component>/<key>`) the platform stack writes the account key to. */
  readonly accountKey: { readonly component: string; readonly key: string };
}

/** A container that copies objects down: the cloud CLI image (key of IMAGES, pulled from the mirror) and its command. */
export interface ObjectDownload {
  readonly image: ImageKey;
  readonly command: readonly string[];
  /** Environment the command needs (a writable home/config directory under a read-only root filesystem). */
  readonly env: Readonly<Record<string, string>>;
}

/** A controller the cloud needs inside the cluster, with the values only the cloud knows (region, VPC, flags). */
export interface CloudControllerAddOn {
  /** Chart values the cloud decides; the baseline adds image, placement and the workload identity. */
  readonly values: Readonly<Record<string, unknown>>;
}

/** What the cloud runs for the cluster itself, and which controllers it needs us to install. */
export interface ClusterAddOns {
  /** The cloud runs metrics-server as a managed add-on (AKS): a second install fails on the APIService it owns. */
  readonly managedMetricsServer: boolean;
  /** kube-proxy runs on the nodes (no on Cilium's kube-proxy replacement): decides the kube-proxy monitor. */
  readonly kubeProxy: boolean;
  /** cluster-autoscaler, where node groups do not scale themselves (EKS); undefined where built in (AKS). */
  readonly clusterAutoscaler?: CloudControllerAddOn;
  /** A load balancer controller to install (EKS: AWS Load Balancer Controller); undefined where the cloud's own serves (AKS). */
  readonly loadBalancerController?: CloudControllerAddOn;
}

/**
 * How NetworkPolicy selects addresses that are not pods. `kubernetes`: `ipBlock` matches the API server and
 * node IPs (EKS VPC CNI). `cilium`: it does not (Cilium identifies them as entities), so the API server and
 * nodes need a CiliumNetworkPolicy with `toEntities`/`fromEntities`.
 */
export type NetworkPolicyFlavour = 'kubernetes' | 'cilium';

/** OCI registry credentials for the helm provider's `registries` (references, never literal values). */
export interface ChartMirrorLogin {
  /** `oci://<registry host>`. */
  readonly url: string;
  readonly username: string;
  readonly password: string;
}

export interface ClusterInfo {
  readonly clusterName: string;
  readonly region: string;
  /**
   * Availability zones the cluster's node pools span (network.zoneCount cut to the region's zones); 1 in
   * a region without zones (UAE Central). Replicated stores put one replica per zone.
   */
  readonly zoneCount: number;
  readonly access: KubernetesAccess;
  readonly storageClass: EncryptedStorageClass;
  readonly pools: {
    readonly system: PoolPlacement;
    readonly general: PoolPlacement;
    readonly gpu: GpuPoolPlacement;
  };
  /** In-region registry that mirrors every third-party image (`<host>/<path>`). */
  readonly imageMirror: string;
  /** In-region OCI repository that mirrors every third-party chart. */
  readonly chartMirror: string;
  /** Our own registry for the orchestrator image (ECR repository URL / ACR login server). */
  readonly platformRegistry: string;
  readonly secretStore: SecretStoreInfo;
  readonly objectStorage: ObjectStorageInfo;
  /**
   * Service annotations that keep a `type: LoadBalancer` Service internal (private IPs only) on this cloud,
   * e.g. `service.beta.kubernetes.io/aws-load-balancer-internal: "true"` or
   * `service.beta.kubernetes.io/azure-load-balancer-internal: "true"`. Clouds default to internet-facing.
   */
  readonly internalLoadBalancerAnnotations: Readonly<Record<string, string>>;
  /**
   * CIDRs the private Kubernetes API endpoint lives in (EKS: the control-plane ENIs in the VPC; AKS: the
   * API server subnet with VNet integration). Default-deny egress allows TCP 443 there only for the
   * controllers that watch the API (ingress controller, Prometheus); never to anywhere else.
   */
  readonly apiServerCidrs: readonly string[];
  /** CIDRs of the node subnets (kubelet, hostNetwork agents); `ipBlock` peers where the flavour is `kubernetes`. */
  readonly nodeCidrs: readonly string[];
  /** The LLM service of this cloud that a workload identity can be granted (`invokeModels`). */
  readonly llmProvider: LlmModelRef['provider'];
  readonly networkPolicyFlavour: NetworkPolicyFlavour;
  /**
   * CIDRs where the cloud APIs that controllers call are reached privately on 443 (EKS: the VPC, home of
   * the interface endpoints; AKS: the VNet's private endpoints plus Entra ID, which has none and is reached
   * through the hub firewall, so `0.0.0.0/0` there and the firewall decides).
   */
  readonly cloudApiCidrs: readonly string[];
  /**
   * Node-local agent that hands pods their cloud credentials (EKS Pod Identity: its IPv4 and IPv6 link-local
   * addresses); undefined where tokens are projected and exchanged with the identity provider over 443 (AKS).
   */
  readonly workloadIdentityAgent?: { readonly cidrs: readonly string[]; readonly port: number };
  readonly addOns: ClusterAddOns;
  /** Adds the cloud provider to a stack that creates cloud resources for workloads (identities, secrets). */
  addCloudProvider(stack: TerraformStack): void;
  /**
   * The login the helm provider uses for the OCI chart mirror, read in `scope`'s stack at plan time (needs
   * addCloudProvider first); undefined where the runner's own registry login is used instead.
   */
  chartMirrorLogin(scope: Construct): ChartMirrorLogin | undefined;
  /** Creates the cloud side of a workload identity in `scope` and returns what the pod side needs. */
  bindWorkloadIdentity(scope: Construct, request: WorkloadIdentityRequest): WorkloadIdentityBinding;
}
