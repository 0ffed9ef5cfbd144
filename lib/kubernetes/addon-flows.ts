import { ClusterInfo } from '../cluster/cluster-info';
import { NS } from './namespaces';
import { EntityEgress, EntityIngress, ExternalEgress, FlowSet, PodFlow, PodGroup, PODS, PORTS, Port } from './network-policies';

/**
 * The flows of the add-on namespaces, which are default-deny like every other namespace: their
 * controllers hold cloud credentials or cluster-wide write access, so each may reach exactly the API
 * server, its cloud APIs and the credential agent, and be reached only by the API server on its webhook or
 * aggregated-API port. Webhook ingress selects the whole namespace (it holds one chart's pods) but only
 * the webhook's container port.
 */

const tcp = (...ports: number[]): Port[] => ports.map((port) => ({ port, protocol: 'TCP' }));
const everyPod = (namespace: string): PodGroup => ({ id: namespace, namespace, pods: {} });

/** Container ports the API server calls (chart defaults at the pinned versions). */
export const WEBHOOK_PORTS: Readonly<Record<string, readonly number[]>> = {
  // cert-manager webhook `securePort`.
  [NS.certManager]: [10250],
  // external-secrets webhook `webhook.port`.
  [NS.externalSecrets]: [10250],
  // KEDA admission webhooks (9443) and the external-metrics API server (6443, an aggregated API).
  [NS.keda]: [9443, 6443],
  // metrics-server serves the aggregated `v1beta1.metrics.k8s.io` on its container port.
  [NS.metricsServer]: [10250],
  // AWS Load Balancer Controller webhooks (Service/Pod mutators, TargetGroupBinding validation).
  [NS.cloudControllers]: [9443],
  // The ClickHouse operator's webhook Service targets 9443 (rendered from the chart's source, `dist/chart`
  // of ClickHouse/clickhouse-operator as of Feb 2026; the 0.0.5 package itself was not available).
  [NS.clickhouseOperator]: [9443],
  // CloudNativePG's mutating/validating webhooks (`webhook.port`, read in the chart at 0.29.0).
  [NS.cnpgOperator]: [9443],
};

/** Add-on namespaces whose pods call the cloud as a workload identity. */
const CLOUD_CALLERS: Readonly<Record<string, string>> = {
  [NS.externalSecrets]: 'external-secrets reads (and pushes) secrets in the secret store',
  [NS.cloudControllers]: 'cluster-autoscaler and the load balancer controller call EC2, Auto Scaling, ELB and EKS',
};

const KEDA_OPERATOR_GRPC = 9666;
const CLICKHOUSE_OPERATOR_PORTS = [9001, 2181];

/** The flows of the add-on namespaces the cluster has (`namespaces`: the names the stack creates). */
export function addOnFlows(cluster: Pick<ClusterInfo, 'cloudApiCidrs' | 'workloadIdentityAgent' | 'addOns'>, namespaces: ReadonlySet<string>): FlowSet {
  const present = (namespace: string) => namespaces.has(namespace);
  const addOns = Object.keys(WEBHOOK_PORTS).filter(present);
  const entityEgress: EntityEgress[] = addOns.map((namespace) => ({
    id: 'api-server',
    from: everyPod(namespace),
    to: 'api-server',
    ports: tcp(443),
    why: 'the controllers watch and write the Kubernetes API',
  }));
  // kube-prometheus-stack's node targets: kubelet (cAdvisor), node-exporter (hostNetwork), kube-proxy
  // where it runs (its monitor is off otherwise: baseline.ts).
  const nodePorts = [PORTS.kubelet, PORTS.nodeExporter, ...(cluster.addOns.kubeProxy ? [PORTS.kubeProxyMetrics] : [])];
  entityEgress.push({ id: 'nodes', from: PODS.prometheus, to: 'nodes', ports: tcp(...nodePorts), why: 'Prometheus scrapes the node targets' });
  if (present(NS.metricsServer)) {
    entityEgress.push({ id: 'nodes', from: everyPod(NS.metricsServer), to: 'nodes', ports: tcp(10250), why: 'metrics-server reads resource metrics from every kubelet' });
  }
  const entityIngress: EntityIngress[] = addOns.map((namespace) => ({
    id: 'api-server',
    to: everyPod(namespace),
    from: 'api-server',
    ports: tcp(...WEBHOOK_PORTS[namespace]),
    why: 'the API server calls the admission webhook / aggregated API',
  }));
  const egress: ExternalEgress[] = Object.entries(CLOUD_CALLERS)
    .filter(([namespace]) => present(namespace))
    .flatMap(([namespace, why]) => [
      { id: 'cloud-apis', from: everyPod(namespace), cidrs: cluster.cloudApiCidrs, ports: tcp(443), why },
      ...(cluster.workloadIdentityAgent
        ? [{ id: 'workload-identity-agent', from: everyPod(namespace), cidrs: cluster.workloadIdentityAgent.cidrs, ports: tcp(cluster.workloadIdentityAgent.port), why: 'the node-local agent hands out the workload identity credentials' }]
        : []),
    ]);
  const pods: PodFlow[] = [];
  if (present(NS.keda)) {
    pods.push({ from: everyPod(NS.keda), to: everyPod(NS.keda), ports: tcp(KEDA_OPERATOR_GRPC), why: "KEDA's metrics API server asks the operator for scaler metrics over gRPC" });
  }
  if (present(NS.clickhouseOperator)) {
    pods.push({
      from: everyPod(NS.clickhouseOperator),
      to: PODS.observability,
      ports: tcp(...CLICKHOUSE_OPERATOR_PORTS),
      why: 'the ClickHouse operator manages the ClickHouse servers and Keepers it runs for Langfuse',
    });
  }
  return { pods, egress, ingress: [], entityEgress, entityIngress };
}
