import { AWS_EXAMPLE, resourcesOf, synthExample } from '../helpers';
import { AZURE_EXAMPLE } from '../azure/helpers';
import { WEBHOOK_PORTS } from '../../lib/kubernetes/addon-flows';

/**
 * Once EKS enforces NetworkPolicy (vpc-cni enableNetworkPolicy) every namespace is default-deny, so each
 * flow the cluster needs must exist: API server both ways for the add-ons, Prometheus to the nodes and
 * CoreDNS, the Pod Identity agent for the pods that use it, cloud APIs for the controllers. On AKS
 * (Cilium) the API server and nodes are Cilium entities, never ipBlocks.
 */
const eks = synthExample(AWS_EXAMPLE).stacks['uae-prod-aws-addons'];
const aks = Object.entries(synthExample(AZURE_EXAMPLE).stacks).find(([name]) => name.endsWith('-addons'))![1];

const policies = (stack: any) => resourcesOf(stack, 'kubernetes_network_policy_v1').map(([, p]) => p);
const policy = (stack: any, namespace: string, name: string) => policies(stack).find((p) => p.metadata.namespace === namespace && p.metadata.name === name);
const cilium = (stack: any) => resourcesOf(stack, 'kubernetes_manifest').map(([, m]) => m.manifest).filter((m) => m.kind === 'CiliumNetworkPolicy');
const portsOf = (rule: any) => rule.ports.map((p: any) => `${p.protocol}/${p.port}`).sort();
const cidrsOf = (peers: any[]) => peers.map((peer) => peer.ip_block.cidr);

/** The EKS Pod Identity agent's link-local addresses (IPv4 and IPv6), port 80. */
const POD_IDENTITY_AGENT_CIDRS = ['169.254.170.23/32', 'fd00:ec2::23/128'];
/** The platform's workloads that call their cloud as a workload identity. */
const IDENTITY_WORKLOADS = [
  ['llm-gateway', 'litellm'],
  ['observability', 'langfuse'],
  ['embeddings', 'tei'],
];

const ADD_ON_NAMESPACES = ['cert-manager', 'external-secrets', 'keda', 'metrics-server', 'cloud-controllers', 'clickhouse-operator', 'cnpg-system'];

describe.each([
  ['EKS', eks],
  ['AKS', aks],
])('%s: default-deny in every namespace the stack creates', (_cloud, stack) => {
  test('each namespace has default-deny (ingress and egress) and DNS only to kube-dns', () => {
    const namespaces = resourcesOf(stack, 'kubernetes_namespace_v1').map(([, n]) => n.metadata.name);
    expect(namespaces).toEqual(expect.arrayContaining(['cert-manager', 'external-secrets', 'keda', 'clickhouse-operator', 'gpu-device-plugin', 'node-agents']));
    for (const namespace of namespaces) {
      expect(policy(stack, namespace, 'default-deny')?.spec).toEqual({ pod_selector: {}, policy_types: ['Ingress', 'Egress'] });
      expect(policy(stack, namespace, 'allow-dns')).toBeDefined();
    }
  });
});

describe('EKS (ipBlock flavour)', () => {
  const VPC = /aws_vpc.*cidr_block/;

  test.each(ADD_ON_NAMESPACES)('%s: egress to the API server (VPC ENIs and the kubernetes Service address) on 443 only', (namespace) => {
    const egress = policy(eks, namespace, `allow-${namespace}-to-api-server`);
    expect(egress.spec.pod_selector).toEqual({ match_labels: {} });
    expect(cidrsOf(egress.spec.egress[0].to)).toEqual([expect.stringMatching(VPC), '172.20.0.1/32']);
    expect(portsOf(egress.spec.egress[0])).toEqual(['TCP/443']);
  });

  test.each(ADD_ON_NAMESPACES)('%s: the API server reaches its webhook / aggregated API port and nothing else', (namespace) => {
    const ingress = policy(eks, namespace, `allow-api-server-to-${namespace}`);
    expect(ingress.spec.policy_types).toEqual(['Ingress']);
    expect(portsOf(ingress.spec.ingress[0])).toEqual(WEBHOOK_PORTS[namespace].map((p) => `TCP/${p}`).sort());
  });

  test('prometheus-operator webhook (observability) is reachable from the API server on 10250', () => {
    const ingress = policy(eks, 'observability', 'allow-api-server-to-prometheus-operator');
    expect(ingress.spec.pod_selector.match_labels).toEqual({ app: 'kube-prometheus-stack-operator' });
    expect(portsOf(ingress.spec.ingress[0])).toEqual(['TCP/10250']);
  });

  test('Prometheus scrapes kubelets, node-exporter and kube-proxy on the node subnets, and CoreDNS', () => {
    const nodes = policy(eks, 'observability', 'allow-prometheus-to-nodes');
    expect(nodes.spec.pod_selector.match_labels).toEqual({ 'app.kubernetes.io/name': 'prometheus' });
    expect(cidrsOf(nodes.spec.egress[0].to).every((c: string) => /aws_subnet.*cidr_block/.test(c))).toBe(true);
    expect(portsOf(nodes.spec.egress[0])).toEqual(['TCP/10249', 'TCP/10250', 'TCP/9100']);
    const dns = policy(eks, 'observability', 'allow-prometheus-to-kube-dns-egress');
    expect(dns.spec.egress[0].to[0].pod_selector.match_labels).toEqual({ 'k8s-app': 'kube-dns' });
    expect(portsOf(dns.spec.egress[0])).toEqual(['TCP/9153']);
  });

  test('metrics-server reaches the kubelets', () => {
    expect(portsOf(policy(eks, 'metrics-server', 'allow-metrics-server-to-nodes').spec.egress[0])).toEqual(['TCP/10250']);
  });

  test.each(['external-secrets', 'cloud-controllers'])('%s: Pod Identity agent on 80 and the VPC endpoints on 443, nothing wider', (namespace) => {
    const agent = policy(eks, namespace, `allow-${namespace}-to-workload-identity-agent`);
    expect(cidrsOf(agent.spec.egress[0].to)).toEqual(POD_IDENTITY_AGENT_CIDRS);
    expect(portsOf(agent.spec.egress[0])).toEqual(['TCP/80']);
    const cloud = policy(eks, namespace, `allow-${namespace}-to-cloud-apis`);
    const cidrs = cidrsOf(cloud.spec.egress[0].to);
    expect(cidrs.length).toBe(3);
    expect(cidrs.every((c: string) => /aws_subnet.*cidr_block/.test(c))).toBe(true);
    expect(portsOf(cloud.spec.egress[0])).toEqual(['TCP/443']);
  });

  test('the ingress controller reaches Langfuse web; KEDA and the ClickHouse operator have their internal flows', () => {
    expect(portsOf(policy(eks, 'observability', 'allow-ingress-controller-to-langfuse-ingress').spec.ingress[0])).toEqual(['TCP/3000']);
    expect(portsOf(policy(eks, 'ingress', 'allow-ingress-controller-to-langfuse-egress').spec.egress[0])).toEqual(['TCP/3000']);
    expect(portsOf(policy(eks, 'keda', 'allow-keda-to-keda-ingress').spec.ingress[0])).toEqual(['TCP/9666']);
    expect(portsOf(policy(eks, 'observability', 'allow-clickhouse-operator-to-observability-ingress').spec.ingress[0])).toEqual(['TCP/2181', 'TCP/9001']);
  });

  test.each(IDENTITY_WORKLOADS)('%s/%s: the Pod Identity agent (ClusterInfo.workloadIdentityAgent) on 80, never the whole link-local range (IMDS)', (namespace, pods) => {
    const agent = policy(eks, namespace, `allow-${pods}-to-workload-identity-agent`);
    expect(agent.spec.pod_selector.match_labels).toEqual({ 'app.kubernetes.io/name': pods });
    expect(cidrsOf(agent.spec.egress[0].to)).toEqual(POD_IDENTITY_AGENT_CIDRS);
    expect(portsOf(agent.spec.egress[0])).toEqual(['TCP/80']);
    const linkLocal = policies(eks).flatMap((p) => (p.spec.egress ?? []).flatMap((rule: any) => (rule.to ?? []).map((peer: any) => peer.ip_block?.cidr)));
    expect(linkLocal.filter((cidr: string | undefined) => cidr?.startsWith('169.254.') && !POD_IDENTITY_AGENT_CIDRS.includes(cidr))).toEqual([]);
  });

  test('no CiliumNetworkPolicy on EKS', () => {
    expect(cilium(eks)).toEqual([]);
  });
});

describe('AKS (Cilium flavour)', () => {
  test('API server and node peers are Cilium entities, never ipBlocks', () => {
    const names = policies(aks).map((p) => p.metadata.name);
    expect(names.filter((n) => /api-server|-to-nodes$/.test(n))).toEqual([]);
    const manifests = cilium(aks);
    for (const namespace of [...ADD_ON_NAMESPACES.filter((n) => n !== 'metrics-server' && n !== 'cloud-controllers'), 'ingress', 'observability']) {
      const egress = manifests.find((m) => m.metadata.namespace === namespace && m.spec.egress?.[0].toEntities);
      expect(egress.spec.egress[0]).toEqual({ toEntities: ['kube-apiserver'], toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }] });
    }
    const webhook = manifests.find((m) => m.metadata.namespace === 'cert-manager' && m.spec.ingress);
    expect(webhook.spec.ingress[0]).toEqual({ fromEntities: ['kube-apiserver'], toPorts: [{ ports: [{ port: '10250', protocol: 'TCP' }] }] });
    const nodes = manifests.find((m) => m.metadata.name === 'allow-prometheus-to-nodes');
    expect(nodes.spec).toEqual({
      endpointSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } },
      // No kube-proxy port: Cilium replaces kube-proxy on AKS.
      egress: [{ toEntities: ['host', 'remote-node'], toPorts: [{ ports: [{ port: '10250', protocol: 'TCP' }, { port: '9100', protocol: 'TCP' }] }] }],
    });
  });

  test('no credential-agent egress anywhere (Entra tokens are projected and exchanged over 443), no link-local peer', () => {
    expect(policies(aks).filter((p) => p.metadata.name.endsWith('-to-workload-identity-agent'))).toEqual([]);
    const peers = policies(aks).flatMap((p) => (p.spec.egress ?? []).flatMap((rule: any) => (rule.to ?? []).map((peer: any) => peer.ip_block?.cidr)));
    expect(peers.filter((cidr: string | undefined) => cidr?.startsWith('169.254.') || cidr?.startsWith('fd00:ec2:'))).toEqual([]);
  });
});
