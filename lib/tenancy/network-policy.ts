import { Construct } from 'constructs';
import { NetworkPolicyV1 } from '../kubernetes/resources';
import { PODS } from '../kubernetes/network-policies';
import { PLATFORM_ENDPOINTS, PlatformEndpoint } from './platform-contract';
import { tenantLabels } from './labels';

export interface TenantNetworkPoliciesProps {
  readonly tenantId: string;
  readonly namespace: string;
  /** The pods Prometheus scrapes (the ingestion workers) and their metrics port: the one ingress allowed. */
  readonly metrics: { readonly pods: Readonly<Record<string, string>>; readonly port: number };
}

const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/**
 * Default deny both ways in the tenant's namespace, then the only allows the architecture draws: DNS, and
 * egress to the orchestrator, LiteLLM, Qdrant, TEI and the ingestion queue on their container ports. The
 * one ingress is Prometheus's pods in the observability namespace to the workers' metrics port (the
 * platform side allows that egress: tenantFlows in lib/kubernetes/network-policies.ts); nothing else may
 * connect in, and there is no egress to other tenant namespaces, the cloud or the internet. Selection is by
 * namespace name (`kubernetes.io/metadata.name`, set by the API server, so a tenant cannot forge it) and port.
 */
export class TenantNetworkPolicies extends Construct {
  readonly defaultDeny: NetworkPolicyV1;
  readonly allowDns: NetworkPolicyV1;
  readonly allowPlatform: NetworkPolicyV1;
  readonly allowMetrics: NetworkPolicyV1;

  constructor(scope: Construct, id: string, props: TenantNetworkPoliciesProps) {
    super(scope, id);
    const labels = tenantLabels(props.tenantId, 'network-policy');
    const metadata = (name: string) => ({ name, namespace: props.namespace, labels });
    this.defaultDeny = new NetworkPolicyV1(this, 'default-deny', {
      metadata: metadata('default-deny'),
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    });
    this.allowDns = new NetworkPolicyV1(this, 'allow-dns', {
      metadata: metadata('allow-dns'),
      spec: {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [
          {
            to: [{ namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
            ports: [
              { protocol: 'UDP', port: '53' },
              { protocol: 'TCP', port: '53' },
            ],
          },
        ],
      },
    });
    const endpoints: PlatformEndpoint[] = Object.values(PLATFORM_ENDPOINTS);
    this.allowPlatform = new NetworkPolicyV1(this, 'allow-platform', {
      metadata: metadata('allow-platform-services'),
      spec: {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: endpoints.map((endpoint) => ({
          to: [{ namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: endpoint.namespace } } }],
          ports: endpoint.ports.map((port) => ({ protocol: 'TCP', port: String(port) })),
        })),
      },
    });
    this.allowMetrics = new NetworkPolicyV1(this, 'allow-metrics', {
      metadata: metadata('allow-prometheus-to-metrics'),
      spec: {
        podSelector: { matchLabels: { ...props.metrics.pods } },
        policyTypes: ['Ingress'],
        ingress: [
          {
            from: [{ namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: PODS.prometheus.namespace } }, podSelector: { matchLabels: { ...PODS.prometheus.pods } } }],
            ports: [{ protocol: 'TCP', port: String(props.metrics.port) }],
          },
        ],
      },
    });
  }
}
