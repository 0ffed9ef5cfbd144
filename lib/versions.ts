/**
 * The one place where versions are pinned: Kubernetes, managed add-ons, Helm charts and images.
 * A version bump is one reviewed diff of this file. Environment files may override a chart or image
 * version per environment (`versions:` in the YAML); the keys they may use are the keys below.
 *
 * EKS add-on versions were taken from the EKS user guide's tables for Kubernetes 1.34. Before a bump,
 * confirm with `aws eks describe-addon-versions --kubernetes-version <v> --addon-name <name>` in the
 * target region: an add-on version the region does not offer fails at apply, not at plan.
 */

export const KUBERNETES_VERSION = '1.34';

/** Kubernetes minor versions an environment may pin (EKS and AKS both offer these in Nov 2026). */
export const SUPPORTED_KUBERNETES_VERSIONS = ['1.32', '1.33', '1.34'] as const;

/** Managed EKS add-ons, pinned (modules that default to "most recent" drift between plans). */
export const EKS_ADDON_VERSIONS = {
  'vpc-cni': 'v1.20.4-eksbuild.1',
  coredns: 'v1.12.4-eksbuild.1',
  'kube-proxy': 'v1.34.1-eksbuild.2',
  'eks-pod-identity-agent': 'v1.3.9-eksbuild.3',
  'aws-ebs-csi-driver': 'v1.51.1-eksbuild.1',
} as const;

export type EksAddonName = keyof typeof EKS_ADDON_VERSIONS;

/** Terraform providers the synthesized stacks require (the prebuilt cdktf bindings were generated from these). */
export const TERRAFORM_PROVIDER_VERSIONS = {
  aws: '5.100.0',
  azurerm: '4.55.0',
  kubernetes: '2.38.0',
  helm: '3.1.1',
} as const;

/** Terraform CLI the stacks are written for (S3-native locking needs >= 1.10). */
export const TERRAFORM_REQUIRED_VERSION = '>= 1.10.0';

/**
 * A Helm chart pin. `upstream` records where the chart is published so a mirror job knows what to copy;
 * releases never pull from it: they pull `<registry.chartMirror>/<chart>` (or our local `charts/`).
 */
export interface ChartPin {
  readonly chart: string;
  readonly upstream: string;
  readonly version: string;
}

/** An image pin. `repository` is the upstream path; pods pull `<registry.imageMirror>/<repository>:<tag>`. */
export interface ImagePin {
  readonly repository: string;
  readonly tag: string;
}

export const CHARTS = {
  qdrant: { chart: 'qdrant', upstream: 'https://qdrant.github.io/qdrant-helm', version: '1.19.0' },
  langfuse: { chart: 'langfuse', upstream: 'https://langfuse.github.io/langfuse-k8s', version: '2.0.0' },
  'nvidia-device-plugin': { chart: 'nvidia-device-plugin', upstream: 'https://nvidia.github.io/k8s-device-plugin', version: '0.20.0' },
} as const satisfies Record<string, ChartPin>;

export type ChartKey = keyof typeof CHARTS;

export const IMAGES = {
  qdrant: { repository: 'qdrant/qdrant', tag: 'v1.19.0' },
  tei: { repository: 'huggingface/text-embeddings-inference', tag: '89-1.9' },
  // Runs the tenant provisioning Jobs (lib/tenancy): python3 standard library only, nothing else to mirror.
  'tenant-provisioner': { repository: 'library/python', tag: '3.13.9-slim' },
} as const satisfies Record<string, ImagePin>;

export type ImageKey = keyof typeof IMAGES;
