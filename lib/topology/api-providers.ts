/**
 * Which chart installs which custom-resource API groups, and which custom resources a chart renders with
 * our values: the reviewed facts the topology check (./check.ts) relies on. Keyed by chart name (the
 * helm_release `chart`), not release name, so a renamed release keeps its entry.
 *
 * Reviewed against the pinned charts (lib/versions.ts). When you add a chart, add what its crds/ directory
 * (or CRD templates) installs here; an unlisted group used by a kubernetes_manifest fails the check.
 */
export const CHART_API_GROUPS: Readonly<Record<string, readonly string[]>> = {
  // prometheus-operator CRDs ship in the chart's crds/ sub-chart: ServiceMonitor, PodMonitor, PrometheusRule, ...
  'kube-prometheus-stack': ['monitoring.coreos.com'],
  'cert-manager': ['cert-manager.io', 'acme.cert-manager.io'],
  'external-secrets': ['external-secrets.io', 'generators.external-secrets.io'],
  keda: ['keda.sh', 'eventing.keda.sh'],
  traefik: ['traefik.io'],
  // TargetGroupBinding, IngressClassParams (the chart's crds/ directory).
  'aws-load-balancer-controller': ['elbv2.k8s.aws'],
  // ClickHouse Inc.'s operator: ClickHouseCluster, KeeperCluster.
  'clickhouse-operator-helm': ['clickhouse.com'],
  // CloudNativePG (templates/crds/crds.yaml at 0.29.0): Cluster, Backup, ScheduledBackup, Pooler, Database, ...
  'cloudnative-pg': ['postgresql.cnpg.io'],
  // CloudNativePG's Barman Cloud plugin (templates/crds/crds.yaml at chart 0.7.0): ObjectStore.
  'plugin-barman-cloud': ['barmancloud.cnpg.io'],
};

/**
 * Custom-resource API groups a chart renders with our values, beyond the monitoring objects the check
 * finds in the values themselves (serviceMonitor/podMonitor/prometheusRule switches).
 */
export const CHART_RENDERS_API_GROUPS: Readonly<Record<string, readonly string[]>> = {
  // clickhouse.deploy (our values keep it on): ClickHouseCluster + KeeperCluster; the chart fails to render
  // while clickhouse.com/v1alpha1 is absent (clickhouse.requireCRDs).
  langfuse: ['clickhouse.com'],
  // The plugin's mTLS pair: a self-signed Issuer and two Certificates (templates/certificate-issuer.yaml,
  // client-certificate.yaml, server-certificate.yaml at 0.7.0).
  'plugin-barman-cloud': ['cert-manager.io'],
};

/**
 * API groups the managed cluster itself serves from the moment `<env>-platform` has created it, per cloud:
 * AKS with Azure CNI powered by Cilium (networkDataPlane `cilium`, lib/azure/aks-cluster.ts) runs the Cilium
 * operator, which installs the cilium.io CRDs (CiliumNetworkPolicy). EKS adds none we use.
 */
export const MANAGED_CLUSTER_API_GROUPS: Readonly<Record<'aws' | 'azure', readonly string[]>> = {
  aws: [],
  azure: ['cilium.io'],
};

/** The API group of every object a monitoring switch in Helm values renders. */
export const MONITORING_API_GROUP = 'monitoring.coreos.com';

/** Values keys that switch on a prometheus-operator object (`<key>.enabled: true`), in any chart's casing. */
export const MONITORING_VALUE_KEYS = /^(servicemonitors?|podmonitors?|prometheusrules?)$/i;

/** API groups every Kubernetes API server serves (no CRD needed). `''` is the core group (`v1`). */
export const BUILT_IN_API_GROUPS: ReadonlySet<string> = new Set([
  '',
  'admissionregistration.k8s.io',
  'apiextensions.k8s.io',
  'apiregistration.k8s.io',
  'apps',
  'autoscaling',
  'batch',
  'certificates.k8s.io',
  'coordination.k8s.io',
  'discovery.k8s.io',
  'events.k8s.io',
  'flowcontrol.apiserver.k8s.io',
  'networking.k8s.io',
  'node.k8s.io',
  'policy',
  'rbac.authorization.k8s.io',
  'scheduling.k8s.io',
  'storage.k8s.io',
]);

/** `external-secrets.io/v1` -> `external-secrets.io`; `v1` -> `` (core). */
export function apiGroupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}
