/**
 * The one place where versions are pinned: Kubernetes, managed add-ons, Helm charts and images.
 * A version bump is one reviewed diff of this file. Environment files may override a chart or image
 * version per environment (`versions:` in the YAML); the keys they may use are the keys below.
 *
 * EKS add-on versions were taken from the EKS user guide's tables per Kubernetes minor. Before a bump,
 * confirm with `aws eks describe-addon-versions --kubernetes-version <v> --addon-name <name>` in the
 * target region: an add-on version the region does not offer fails at apply, not at plan.
 */

export const KUBERNETES_VERSION = '1.34' satisfies keyof typeof EKS_ADDON_VERSIONS_BY_KUBERNETES;

/** The EKS add-on builds that support every Kubernetes minor below. */
const MINOR_INDEPENDENT_EKS_ADDONS = {
  'vpc-cni': 'v1.20.4-eksbuild.1',
  'eks-pod-identity-agent': 'v1.3.9-eksbuild.3',
  'aws-ebs-csi-driver': 'v1.51.1-eksbuild.1',
} as const;

/**
 * Managed EKS add-ons per Kubernetes minor, pinned (modules that default to "most recent" drift between
 * plans). coredns and kube-proxy follow the minor (EKS user guide tables "CoreDNS versions" and
 * "kube-proxy versions", Nov 2026). A minor is supported only with an entry here: the schema derives its
 * allowed values from this table, so any other minor is refused with the supported list. EKS and AKS both
 * offer these minors (AKS manages its own add-ons).
 */
export const EKS_ADDON_VERSIONS_BY_KUBERNETES = {
  '1.32': { ...MINOR_INDEPENDENT_EKS_ADDONS, coredns: 'v1.11.4-eksbuild.24', 'kube-proxy': 'v1.32.9-eksbuild.2' },
  '1.33': { ...MINOR_INDEPENDENT_EKS_ADDONS, coredns: 'v1.12.4-eksbuild.1', 'kube-proxy': 'v1.33.5-eksbuild.2' },
  '1.34': { ...MINOR_INDEPENDENT_EKS_ADDONS, coredns: 'v1.12.4-eksbuild.1', 'kube-proxy': 'v1.34.1-eksbuild.2' },
} as const;

export type KubernetesMinor = keyof typeof EKS_ADDON_VERSIONS_BY_KUBERNETES;

/** Kubernetes minor versions an environment may pin: those with an add-on entry above. */
export const SUPPORTED_KUBERNETES_VERSIONS = Object.keys(EKS_ADDON_VERSIONS_BY_KUBERNETES) as [KubernetesMinor, ...KubernetesMinor[]];

export type EksAddonName = keyof (typeof EKS_ADDON_VERSIONS_BY_KUBERNETES)[KubernetesMinor];

/** Terraform providers the synthesized stacks require (the prebuilt cdktf bindings were generated from these). */
export const TERRAFORM_PROVIDER_VERSIONS = {
  aws: '5.100.0',
  azurerm: '4.55.0',
  kubernetes: '2.38.0',
  helm: '3.1.1',
  /** hashicorp/time (`time_sleep`: Azure role assignments take minutes to propagate). */
  time: '0.13.1',
} as const;

/** Terraform CLI the stacks are written for (S3-native locking needs >= 1.10). */
export const TERRAFORM_REQUIRED_VERSION = '>= 1.10.0';

/** Terraform CLI the workflows install and the rollout tests run (plan files only apply with the same version). */
export const TERRAFORM_CLI_VERSION = '1.11.4';

/**
 * A Helm chart pin. `upstream` records where the chart is published so a mirror job knows what to copy;
 * releases never pull from it: they pull `<registry.chartMirror>/<chart>` (or our local `charts/`).
 */
export interface ChartPin {
  readonly chart: string;
  readonly upstream: string;
  readonly version: string;
}

/**
 * An image pin. `registry` and `repository` name the upstream image (what `npm run mirror` copies from);
 * pods pull `<registry.imageMirror>/<repository>:<tag>`.
 */
export interface ImagePin {
  readonly registry: string;
  readonly repository: string;
  readonly tag: string;
}

export const CHARTS = {
  qdrant: { chart: 'qdrant', upstream: 'https://qdrant.github.io/qdrant-helm', version: '1.19.0' },
  langfuse: { chart: 'langfuse', upstream: 'https://langfuse.github.io/langfuse-k8s', version: '2.0.0' },
  'nvidia-device-plugin': { chart: 'nvidia-device-plugin', upstream: 'https://nvidia.github.io/k8s-device-plugin', version: '0.20.0' },
  // Cluster baseline. Traefik replaces ingress-nginx (retired by Kubernetes SIG Network in 2026): actively
  // maintained, serves both Ingress and Gateway API, and its chart runs under Pod Security "restricted".
  traefik: { chart: 'traefik', upstream: 'https://traefik.github.io/charts', version: '39.0.9' },
  // cert-manager and the ClickHouse operator at the versions the Langfuse chart README was tested with.
  'cert-manager': { chart: 'cert-manager', upstream: 'oci://quay.io/jetstack/charts', version: 'v1.20.2' },
  'external-secrets': { chart: 'external-secrets', upstream: 'https://charts.external-secrets.io', version: '2.12.0' },
  keda: { chart: 'keda', upstream: 'https://kedacore.github.io/charts', version: '2.19.0' },
  'metrics-server': { chart: 'metrics-server', upstream: 'https://kubernetes-sigs.github.io/metrics-server', version: '3.13.0' },
  // Cloud controllers the cluster needs on EKS (AKS runs its own): cluster-autoscaler at the minor of the
  // cluster (chart 9.53.0 = cluster-autoscaler 1.34.2), the AWS Load Balancer Controller for the ingress NLB.
  'cluster-autoscaler': { chart: 'cluster-autoscaler', upstream: 'https://kubernetes.github.io/autoscaler', version: '9.53.0' },
  'aws-load-balancer-controller': { chart: 'aws-load-balancer-controller', upstream: 'https://aws.github.io/eks-charts', version: '3.5.0' },
  'kube-prometheus-stack': { chart: 'kube-prometheus-stack', upstream: 'https://prometheus-community.github.io/helm-charts', version: '91.5.3' },
  'clickhouse-operator': { chart: 'clickhouse-operator-helm', upstream: 'oci://ghcr.io/clickhouse', version: '0.0.5' },
  // LiteLLM's OCI chart is published under the release's version: since 1.84.0 (BerriAI docs blog
  // "cleaner-release-versions", 2026-04-28: `helm pull oci://ghcr.io/berriai/litellm-helm --version 1.84.0`;
  // before, the release workflow bumped a 0.1.N patch counter). The `version: 1.1.0` of the chart's source
  // Chart.yaml is never published. Chart 1.85.1 is released for proxy v1.85.1 (its appVersion), the image below.
  litellm: { chart: 'litellm-helm', upstream: 'oci://ghcr.io/berriai', version: '1.85.1' },
  // LiteLLM's Postgres and Redis in the `data` namespace: the same maintained charts (official postgres and
  // valkey images) the Langfuse chart bundles, instead of the frozen Bitnami sub-charts of litellm-helm.
  postgres: { chart: 'postgres', upstream: 'https://groundhog2k.github.io/helm-charts', version: '1.6.3' },
  valkey: { chart: 'valkey', upstream: 'https://valkey-io.github.io/valkey-helm', version: '0.9.4' },
  // CloudNativePG operator (chart 0.29.0 = operator 1.30.0, the chart's appVersion): the Postgres operator of
  // the data tier (docs/restore.md). 1.30 runs the Barman Cloud plugin, which replaces the in-tree
  // barmanObjectStore removed in 1.32.
  'cloudnative-pg': { chart: 'cloudnative-pg', upstream: 'https://cloudnative-pg.github.io/charts', version: '0.29.0' },
  // CloudNativePG's Barman Cloud plugin (chart 0.7.0 = plugin v0.13.0, the chart's appVersion; cloudnative-pg/charts
  // tag plugin-barman-cloud-v0.7.0): WAL archiving and base backups of the Postgres Clusters through its
  // ObjectStore resource, in place of the in-tree barmanObjectStore that operator 1.32 removes.
  'plugin-barman-cloud': { chart: 'plugin-barman-cloud', upstream: 'https://cloudnative-pg.github.io/charts', version: '0.7.0' },
} as const satisfies Record<string, ChartPin>;

export type ChartKey = keyof typeof CHARTS;

export const IMAGES = {
  qdrant: { registry: 'docker.io', repository: 'qdrant/qdrant', tag: 'v1.19.0' },
  tei: { registry: 'ghcr.io', repository: 'huggingface/text-embeddings-inference', tag: '89-1.9' },
  litellm: { registry: 'ghcr.io', repository: 'berriai/litellm-database', tag: 'v1.85.1' },
  'langfuse-web': { registry: 'docker.io', repository: 'langfuse/langfuse', tag: '4.4.0' },
  'langfuse-worker': { registry: 'docker.io', repository: 'langfuse/langfuse-worker', tag: '4.4.0' },
  postgres: { registry: 'docker.io', repository: 'library/postgres', tag: '18.1' },
  valkey: { registry: 'docker.io', repository: 'valkey/valkey', tag: '8.1.4' },
  'clickhouse-server': { registry: 'docker.io', repository: 'clickhouse/clickhouse-server', tag: '26.4' },
  'clickhouse-keeper': { registry: 'docker.io', repository: 'clickhouse/clickhouse-keeper', tag: '26.4' },
  // The operator's images are tagged with a `v` (chart 0.0.5 renders ghcr.io/clickhouse/clickhouse-operator:v0.0.5).
  'clickhouse-operator': { registry: 'ghcr.io', repository: 'clickhouse/clickhouse-operator', tag: 'v0.0.5' },
  // Tagged without a `v` (the chart renders ghcr.io/cloudnative-pg/cloudnative-pg:<appVersion>).
  'cloudnative-pg': { registry: 'ghcr.io', repository: 'cloudnative-pg/cloudnative-pg', tag: '1.30.0' },
  // The Postgres the Clusters run: CloudNativePG's `standard` image (barman-cloud comes with the plugin's
  // sidecar, so no `system` image), the fully qualified tag of cloudnative-pg/artifacts'
  // image-catalogs/catalog-standard-trixie.yaml (major 18, built 2026-08-17).
  'cnpg-postgresql': { registry: 'ghcr.io', repository: 'cloudnative-pg/postgresql', tag: '18.6-202608170814-standard-trixie' },
  // The Barman Cloud plugin and the sidecar it injects into every instance pod (the chart renders both
  // with its appVersion, `v`-prefixed).
  'plugin-barman-cloud': { registry: 'ghcr.io', repository: 'cloudnative-pg/plugin-barman-cloud', tag: 'v0.13.0' },
  'plugin-barman-cloud-sidecar': { registry: 'ghcr.io', repository: 'cloudnative-pg/plugin-barman-cloud-sidecar', tag: 'v0.13.0' },
  'nvidia-device-plugin': { registry: 'nvcr.io', repository: 'nvidia/k8s-device-plugin', tag: 'v0.20.0' },
  // The chart's appVersion (traefik 39.0.9 ships v3.6.15; test/fixtures/charts/app-versions.json).
  traefik: { registry: 'docker.io', repository: 'library/traefik', tag: 'v3.6.15' },
  'cert-manager-controller': { registry: 'quay.io', repository: 'jetstack/cert-manager-controller', tag: 'v1.20.2' },
  'cert-manager-webhook': { registry: 'quay.io', repository: 'jetstack/cert-manager-webhook', tag: 'v1.20.2' },
  'cert-manager-cainjector': { registry: 'quay.io', repository: 'jetstack/cert-manager-cainjector', tag: 'v1.20.2' },
  'cert-manager-startupapicheck': { registry: 'quay.io', repository: 'jetstack/cert-manager-startupapicheck', tag: 'v1.20.2' },
  'cert-manager-acmesolver': { registry: 'quay.io', repository: 'jetstack/cert-manager-acmesolver', tag: 'v1.20.2' },
  'external-secrets': { registry: 'ghcr.io', repository: 'external-secrets/external-secrets', tag: 'v2.12.0' },
  keda: { registry: 'ghcr.io', repository: 'kedacore/keda', tag: '2.19.0' },
  'keda-metrics-apiserver': { registry: 'ghcr.io', repository: 'kedacore/keda-metrics-apiserver', tag: '2.19.0' },
  'keda-admission-webhooks': { registry: 'ghcr.io', repository: 'kedacore/keda-admission-webhooks', tag: '2.19.0' },
  'metrics-server': { registry: 'registry.k8s.io', repository: 'metrics-server/metrics-server', tag: 'v0.8.0' },
  'prometheus-operator': { registry: 'quay.io', repository: 'prometheus-operator/prometheus-operator', tag: 'v0.94.1' },
  'prometheus-config-reloader': { registry: 'quay.io', repository: 'prometheus-operator/prometheus-config-reloader', tag: 'v0.94.1' },
  'admission-webhook-certgen': { registry: 'registry.k8s.io', repository: 'ingress-nginx/kube-webhook-certgen', tag: 'v1.6.4' },
  prometheus: { registry: 'quay.io', repository: 'prometheus/prometheus', tag: 'v3.7.3' },
  alertmanager: { registry: 'quay.io', repository: 'prometheus/alertmanager', tag: 'v0.29.0' },
  'kube-state-metrics': { registry: 'registry.k8s.io', repository: 'kube-state-metrics/kube-state-metrics', tag: 'v2.17.0' },
  // The distroless build, pinned with its suffix: kube-prometheus-stack appends `-distroless` to the tag
  // unless `image.distroless` is false, which the baseline sets so the chart renders exactly this pin.
  'node-exporter': { registry: 'quay.io', repository: 'prometheus/node-exporter', tag: 'v1.10.2-distroless' },
  'cluster-autoscaler': { registry: 'registry.k8s.io', repository: 'autoscaling/cluster-autoscaler', tag: 'v1.34.2' },
  'aws-load-balancer-controller': { registry: 'public.ecr.aws', repository: 'eks/aws-load-balancer-controller', tag: 'v3.5.0' },
  // Cloud CLIs that copy the TEI model from the platform's object storage (init container, workload
  // identity): the one for the cluster's cloud is used (ClusterInfo.objectStorage.downloadPrefix).
  'aws-cli': { registry: 'docker.io', repository: 'amazon/aws-cli', tag: '2.28.23' },
  'azure-cli': { registry: 'mcr.microsoft.com', repository: 'azure-cli', tag: '2.67.0' },
  // Runs the tenant provisioning Jobs (lib/tenancy) and the Qdrant collection Job: python3 standard library
  // only, nothing else to mirror.
  'tenant-provisioner': { registry: 'docker.io', repository: 'library/python', tag: '3.13.9-slim' },
} as const satisfies Record<string, ImagePin>;

/**
 * Our own charts under charts/: not mirrored, referenced from the repository (copied into the synthesized
 * output as a TerraformAsset). `version` must equal the chart's Chart.yaml (a test checks it); it is not an
 * override key because the chart on disk is the one that gets installed.
 */
export const LOCAL_CHARTS = {
  tei: { directory: 'charts/tei', version: '0.1.0' },
  orchestrator: { directory: 'charts/orchestrator', version: '0.3.0' },
} as const satisfies Record<string, { directory: string; version: string }>;

export type ImageKey = keyof typeof IMAGES;
