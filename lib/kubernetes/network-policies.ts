import { Construct } from 'constructs';
import { ITerraformDependable } from 'cdktf';
import { NetworkPolicyV1 } from './resources';
import type { NetworkPolicyV1SpecEgressTo, NetworkPolicyV1SpecIngressFrom } from '@cdktf/provider-kubernetes/lib/network-policy-v1';
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { ClusterInfo, NetworkPolicyFlavour } from '../cluster/cluster-info';
import { NS } from './namespaces';
import { COMPONENT_LABEL, PROVISIONER_COMPONENTS, TENANT_NAMESPACE_LABEL } from './shared-labels';

/** A set of pods: a namespace and a label selector inside it (empty = every pod of the namespace). */
export interface PodGroup {
  /** Short name for policy names (`allow-<from>-to-<to>`). */
  readonly id: string;
  readonly namespace: string;
  readonly pods: Readonly<Record<string, string>>;
  /**
   * Select namespaces by these labels instead of by name: a group that spans namespaces the addons stack
   * does not own (every tenant namespace). `namespace` is then only descriptive and no policy is created on
   * that side (tenant stacks write their own).
   */
  readonly namespaceLabels?: Readonly<Record<string, string>>;
}

export interface Port {
  readonly port: number;
  readonly protocol?: 'TCP' | 'UDP';
}

/** A flow between pods of the cluster: an egress policy at the source and an ingress policy at the target. */
export interface PodFlow {
  readonly from: PodGroup;
  readonly to: PodGroup;
  readonly ports: readonly Port[];
  readonly why: string;
}

/** Egress from pods to addresses outside the pod network (ipBlock). */
export interface ExternalEgress {
  readonly id: string;
  readonly from: PodGroup;
  readonly cidrs: readonly string[];
  readonly ports: readonly Port[];
  readonly why: string;
}

/** Ingress to pods from addresses outside the pod network (the internal load balancer). */
export interface ExternalIngress {
  readonly id: string;
  readonly to: PodGroup;
  readonly cidrs: readonly string[];
  readonly ports: readonly Port[];
  readonly why: string;
}

/**
 * Parts of the cluster that are not pods: the API server (controllers watch it, it calls webhooks and
 * aggregated APIs) and the nodes (kubelet, hostNetwork agents such as node-exporter). How a policy selects
 * them depends on the CNI (ClusterInfo.networkPolicyFlavour): `ipBlock` on EKS, Cilium entities on AKS.
 */
export type ClusterEntity = 'api-server' | 'nodes';

/** Egress from pods to the API server or the nodes. */
export interface EntityEgress {
  readonly id: string;
  readonly from: PodGroup;
  readonly to: ClusterEntity;
  readonly ports: readonly Port[];
  readonly why: string;
}

/** Ingress to pods from the API server (admission webhooks, aggregated APIs). */
export interface EntityIngress {
  readonly id: string;
  readonly to: PodGroup;
  readonly from: ClusterEntity;
  readonly ports: readonly Port[];
  readonly why: string;
}

/** What the policies need to know about the cluster's network (from ClusterInfo). */
export interface ClusterNetwork {
  readonly flavour: NetworkPolicyFlavour;
  /** Where the API server's addresses are (`kubernetes` flavour). */
  readonly apiServerCidrs: readonly string[];
  /** Where the nodes' addresses are (`kubernetes` flavour). */
  readonly nodeCidrs: readonly string[];
}

const NAMESPACE_LABEL = 'kubernetes.io/metadata.name';

/** The CloudNativePG Clusters of the data tier (lib/components/postgres-cluster.ts), both in `data`. */
export const POSTGRES_CLUSTERS = { litellm: 'litellm-db', langfuse: 'langfuse-db' } as const;
/** CloudNativePG labels every pod of a Cluster (instances and its bootstrap, import and join Jobs) with its name. */
const cnpgCluster = (name: string): PodGroup => ({ id: name, namespace: NS.data, pods: { 'cnpg.io/cluster': name } });

/** Pod labels the charts put on their pods (release names are fixed by the components). */
export const PODS = {
  orchestrator: { id: 'orchestrator', namespace: NS.ragPlatform, pods: { 'app.kubernetes.io/name': 'orchestrator' } },
  tei: { id: 'tei', namespace: NS.embeddings, pods: { 'app.kubernetes.io/name': 'tei' } },
  qdrant: { id: 'qdrant', namespace: NS.vectordb, pods: { 'app.kubernetes.io/name': 'qdrant' } },
  /** The workloads stack's collection Job (lib/components/qdrant-collections.ts). */
  qdrantCollections: { id: 'qdrant-collections', namespace: NS.vectordb, pods: { [COMPONENT_LABEL]: 'qdrant-collections' } },
  /** The workloads stack's snapshot CronJob (lib/components/qdrant-backup.ts). */
  qdrantBackup: { id: 'qdrant-backup', namespace: NS.vectordb, pods: { [COMPONENT_LABEL]: 'qdrant-backup' } },
  /**
   * The workloads stack's ClickHouse backup/restore CronJobs (lib/components/clickhouse-backup.ts). They sit in
   * `observability`, so the namespace's own flow already lets them reach ClickHouse's native port.
   */
  clickhouseBackup: { id: 'clickhouse-backup', namespace: NS.observability, pods: { [COMPONENT_LABEL]: 'clickhouse-backup' } },
  litellm: { id: 'litellm', namespace: NS.llmGateway, pods: { 'app.kubernetes.io/name': 'litellm' } },
  /** The workloads stack's Job that creates Prometheus's scrape key (lib/components/litellm-metrics.ts). */
  litellmMetricsKey: { id: 'litellm-metrics-key', namespace: NS.llmGateway, pods: { [COMPONENT_LABEL]: 'litellm-metrics-key' } },
  /** The groundhog2k release of environments created before CloudNativePG (components.postgres.importLegacyReleases). */
  litellmPostgres: { id: 'litellm-postgres', namespace: NS.data, pods: { 'app.kubernetes.io/instance': 'litellm-postgres' } },
  litellmDb: cnpgCluster(POSTGRES_CLUSTERS.litellm),
  langfuseDb: cnpgCluster(POSTGRES_CLUSTERS.langfuse),
  cnpgOperator: { id: 'cnpg-operator', namespace: NS.cnpgOperator, pods: { 'app.kubernetes.io/name': 'cloudnative-pg' } },
  /** The Barman Cloud plugin's Deployment (chart plugin-barman-cloud, release of the same name). */
  barmanCloudPlugin: { id: 'barman-cloud-plugin', namespace: NS.cnpgOperator, pods: { 'app.kubernetes.io/name': 'plugin-barman-cloud' } },
  litellmValkey: { id: 'litellm-valkey', namespace: NS.data, pods: { 'app.kubernetes.io/instance': 'litellm-valkey' } },
  ingestionQueue: { id: 'ingestion-valkey', namespace: NS.data, pods: { 'app.kubernetes.io/instance': 'ingestion-valkey' } },
  /** Every tenant namespace (all pods): tenant stacks label their namespace `rag.platform/tenant: "true"`. */
  tenants: { id: 'tenants', namespace: 'tenant-*', pods: {}, namespaceLabels: { [TENANT_NAMESPACE_LABEL]: 'true' } },
  /** The tenant stacks' LiteLLM team/key Jobs (lib/tenancy/litellm-key.ts). */
  litellmProvisioner: { id: 'litellm-provisioner', namespace: NS.llmGateway, pods: { [COMPONENT_LABEL]: PROVISIONER_COMPONENTS.litellm } },
  /** The tenant stacks' Valkey ACL Jobs (lib/tenancy/queue-acl.ts). */
  queueAclProvisioner: { id: 'queue-acl-provisioner', namespace: NS.data, pods: { [COMPONENT_LABEL]: PROVISIONER_COMPONENTS.queueAcl } },
  /** KEDA's operator reads stream lag for the tenants' ScaledObjects (redis-streams scaler). */
  kedaOperator: { id: 'keda-operator', namespace: NS.keda, pods: { 'app.kubernetes.io/name': 'keda-operator' } },
  langfuse: { id: 'langfuse', namespace: NS.observability, pods: { 'app.kubernetes.io/name': 'langfuse' } },
  observability: { id: 'observability', namespace: NS.observability, pods: {} },
  prometheus: { id: 'prometheus', namespace: NS.observability, pods: { 'app.kubernetes.io/name': 'prometheus' } },
  /** kube-prometheus-stack labels its operator `app: <chart name>-operator`. */
  prometheusOperator: { id: 'prometheus-operator', namespace: NS.observability, pods: { app: 'kube-prometheus-stack-operator' } },
  ingressController: { id: 'ingress-controller', namespace: NS.ingress, pods: { 'app.kubernetes.io/name': 'traefik' } },
  kubeDns: { id: 'kube-dns', namespace: 'kube-system', pods: { 'k8s-app': 'kube-dns' } },
} as const satisfies Record<string, PodGroup>;

/** Container ports (NetworkPolicy sees pod ports, after the Service's port mapping). */
export const PORTS = {
  orchestrator: 8080,
  /** `/metrics` of the orchestrator image, in both modes (API server and tenant ingestion worker): docs/tenancy.md. */
  orchestratorMetrics: 9090,
  teiHttp: 8080,
  teiMetrics: 9000,
  qdrantHttp: 6333,
  qdrantGrpc: 6334,
  qdrantP2p: 6335,
  litellm: 4000,
  langfuseWeb: 3000,
  postgres: 5432,
  /** CloudNativePG's instance manager (status, probes, backups), which the operator and the other instances call. */
  cnpgInstanceManager: 8000,
  /** The Barman Cloud plugin's gRPC server the operator calls (mTLS, chart `service.port`). */
  barmanCloudPlugin: 9090,
  redis: 6379,
  clickhouseHttp: 8123,
  clickhouseNative: 9000,
  traefikWeb: 8000,
  traefikWebsecure: 8443,
  traefikMetrics: 9100,
  kubelet: 10250,
  nodeExporter: 9100,
  kubeProxyMetrics: 10249,
  corednsMetrics: 9153,
  prometheusOperatorWebhook: 10250,
} as const;

const tcp = (...ports: number[]): Port[] => ports.map((port) => ({ port, protocol: 'TCP' }));

export interface FlowSet {
  readonly pods: readonly PodFlow[];
  readonly egress: readonly ExternalEgress[];
  readonly ingress: readonly ExternalIngress[];
  readonly entityEgress?: readonly EntityEgress[];
  readonly entityIngress?: readonly EntityIngress[];
}

/** Several flow sets as one (the platform's and the add-ons'). */
export function mergeFlows(...sets: readonly FlowSet[]): FlowSet {
  return {
    pods: sets.flatMap((set) => set.pods),
    egress: sets.flatMap((set) => set.egress),
    ingress: sets.flatMap((set) => set.ingress),
    entityEgress: sets.flatMap((set) => set.entityEgress ?? []),
    entityIngress: sets.flatMap((set) => set.entityIngress ?? []),
  };
}

/**
 * Exactly the flows the architecture draws, and nothing else. `loadBalancerSources` are the addresses the
 * internal load balancer forwards from.
 */
export function platformFlows(props: {
  readonly loadBalancerSources: readonly string[];
  /** The cluster's credential agent (ClusterInfo); undefined where pods get projected tokens and need no agent. */
  readonly workloadIdentityAgent: ClusterInfo['workloadIdentityAgent'];
  /** components.postgres.importLegacyReleases: the Clusters read the old servers they import from. */
  readonly importLegacyPostgres?: boolean;
}): FlowSet {
  const agent = props.workloadIdentityAgent;
  // Pods that call their cloud as a workload identity reach the node-local agent for credentials (EKS Pod
  // Identity). Where the cloud projects a token instead (AKS), the exchange goes to Entra ID over 443,
  // which each pod's 443 egress below already allows.
  const agentEgress = (from: PodGroup, why: string): ExternalEgress[] =>
    agent ? [{ id: 'workload-identity-agent', from, cidrs: agent.cidrs, ports: tcp(agent.port), why }] : [];
  const postgres = postgresFlows(props.importLegacyPostgres ?? false, agentEgress);
  const pods: PodFlow[] = [
    ...postgres.pods,
    { from: PODS.litellm, to: PODS.tei, ports: tcp(PORTS.teiHttp), why: 'LiteLLM serves TEI as the embeddings model: the only client TEI admits, so every embedding is counted against a key budget' },
    { from: PODS.orchestrator, to: PODS.qdrant, ports: tcp(PORTS.qdrantHttp, PORTS.qdrantGrpc), why: 'orchestrator searches Qdrant (REST and gRPC)' },
    { from: PODS.orchestrator, to: PODS.litellm, ports: tcp(PORTS.litellm), why: 'orchestrator calls the LLM gateway' },
    { from: PODS.orchestrator, to: PODS.langfuse, ports: tcp(PORTS.langfuseWeb), why: 'orchestrator sends traces to Langfuse' },
    { from: PODS.litellm, to: PODS.litellmValkey, ports: tcp(PORTS.redis), why: 'LiteLLM cross-pod rate limits in Redis' },
    {
      from: PODS.observability,
      to: PODS.observability,
      ports: [],
      why: 'Langfuse to its Valkey/ClickHouse and ClickHouse to Keeper; Prometheus to the operator-managed pods',
    },
    { from: PODS.qdrant, to: PODS.qdrant, ports: tcp(PORTS.qdrantP2p), why: 'Qdrant peers replicate shards and run consensus' },
    { from: PODS.qdrantCollections, to: PODS.qdrant, ports: tcp(PORTS.qdrantHttp), why: 'the collection Job creates the configured collections (REST)' },
    { from: PODS.qdrantBackup, to: PODS.qdrant, ports: tcp(PORTS.qdrantHttp), why: 'the backup CronJob snapshots every collection on every peer, and a restore Job uploads them back (REST)' },
    { from: PODS.litellmMetricsKey, to: PODS.litellm, ports: tcp(PORTS.litellm), why: "the scrape-key Job creates Prometheus's metrics-only key through the admin API" },
    { from: PODS.ingressController, to: PODS.orchestrator, ports: tcp(PORTS.orchestrator), why: 'internal load balancer -> ingress controller -> orchestrator' },
    { from: PODS.prometheus, to: PODS.qdrant, ports: tcp(PORTS.qdrantHttp), why: 'metrics (/metrics on the REST port)' },
    { from: PODS.prometheus, to: PODS.tei, ports: tcp(PORTS.teiMetrics), why: 'metrics' },
    { from: PODS.prometheus, to: PODS.litellm, ports: tcp(PORTS.litellm), why: "metrics (/metrics/ on the proxy port, with the metrics-only key: LiteLLM refuses tenants' keys there)" },
    { from: PODS.prometheus, to: PODS.orchestrator, ports: tcp(PORTS.orchestratorMetrics), why: 'metrics (its own port: the ingress reaches the API port only)' },
    { from: PODS.prometheus, to: PODS.ingressController, ports: tcp(PORTS.traefikMetrics), why: 'metrics' },
    { from: PODS.prometheus, to: PODS.kubeDns, ports: tcp(PORTS.corednsMetrics), why: 'CoreDNS metrics' },
    { from: PODS.ingressController, to: PODS.langfuse, ports: tcp(PORTS.langfuseWeb), why: 'internal load balancer -> ingress controller -> Langfuse web (UI and API keys)' },
    ...tenantFlows(),
  ];
  const egress: ExternalEgress[] = [
    ...postgres.egress,
    {
      id: 'llm-providers',
      from: PODS.litellm,
      cidrs: ['0.0.0.0/0'],
      ports: tcp(443),
      why: 'the only egress to LLM providers: in-region private endpoints (Azure OpenAI, Bedrock) over HTTPS',
    },
    ...agentEgress(PODS.litellm, 'the node-local credential agent hands out the model invoke credentials'),
    {
      id: 'object-storage',
      from: PODS.langfuse,
      cidrs: ['0.0.0.0/0'],
      ports: tcp(443),
      why: 'Langfuse blobs in the in-region bucket/container (reached through the private/gateway endpoint) over HTTPS',
    },
    ...agentEgress(PODS.langfuse, 'the node-local credential agent hands out the blob storage credentials'),
    {
      id: 'object-storage',
      from: PODS.tei,
      cidrs: ['0.0.0.0/0'],
      ports: tcp(443),
      why: "TEI's init container copies the model from the in-region bucket/container (gateway/private endpoint; Entra ID login on Azure) over HTTPS",
    },
    ...agentEgress(PODS.tei, 'the node-local credential agent hands out the model reader credentials'),
    {
      id: 'object-storage',
      from: PODS.qdrantBackup,
      cidrs: ['0.0.0.0/0'],
      ports: tcp(443),
      why: 'Qdrant snapshots to and from qdrant/ of the in-region bucket/container (gateway/private endpoint; Entra ID login on Azure) over HTTPS',
    },
    ...agentEgress(PODS.qdrantBackup, 'the node-local credential agent hands out the snapshot writer credentials'),
    {
      id: 'object-storage',
      from: PODS.clickhouseBackup,
      cidrs: ['0.0.0.0/0'],
      ports: tcp(443),
      why: 'ClickHouse dumps to and from clickhouse/ of the in-region bucket/container (gateway/private endpoint; Entra ID login on Azure) over HTTPS',
    },
    ...agentEgress(PODS.clickhouseBackup, 'the node-local credential agent hands out the dump writer credentials'),
  ];
  const entityEgress: EntityEgress[] = [
    ...(postgres.entityEgress ?? []),
    { id: 'api-server', from: PODS.ingressController, to: 'api-server', ports: tcp(443), why: 'Traefik watches Ingresses and Services' },
    { id: 'api-server', from: PODS.observability, to: 'api-server', ports: tcp(443), why: 'Prometheus service discovery, the operator, kube-state-metrics' },
    { id: 'api-server', from: PODS.orchestrator, to: 'api-server', ports: tcp(443), why: "the orchestrator reads each tenant's tenant-scope ConfigMap and tenant-credentials Secret" },
  ];
  const entityIngress: EntityIngress[] = [
    { id: 'api-server', to: PODS.prometheusOperator, from: 'api-server', ports: tcp(PORTS.prometheusOperatorWebhook), why: "the API server calls the operator's admission webhook (PrometheusRule validation)" },
  ];
  const ingress: ExternalIngress[] = [
    {
      id: 'load-balancer',
      to: PODS.ingressController,
      cidrs: props.loadBalancerSources,
      ports: tcp(PORTS.traefikWeb, PORTS.traefikWebsecure),
      why: 'the internal load balancer (private addresses only) forwards client traffic',
    },
  ];
  return { pods, egress, ingress, entityEgress, entityIngress };
}

/**
 * The Postgres Clusters' flows: each consumer to its Cluster; the instances to each other (streaming
 * replication, instance manager); the operator to the instance managers and to the Barman Cloud plugin;
 * the instances (barman runs in the plugin's sidecar there) to the API server, the object storage and the
 * credential agent. With `importLegacy`, each Cluster also reads the old server it imports from.
 */
export function postgresFlows(importLegacy: boolean, agentEgress: (from: PodGroup, why: string) => ExternalEgress[]): FlowSet {
  const clusters = [
    { db: PODS.litellmDb, consumer: PODS.litellm, why: 'LiteLLM keys, budgets and spend in its Postgres Cluster (-rw Service)' },
    { db: PODS.langfuseDb, consumer: PODS.langfuse, why: 'Langfuse organisations, projects, users and prompts in its Postgres Cluster (-rw Service)' },
  ];
  const pods: PodFlow[] = [
    ...clusters.flatMap(({ db, consumer, why }): PodFlow[] => [
      { from: consumer, to: db, ports: tcp(PORTS.postgres), why },
      { from: db, to: db, ports: tcp(PORTS.postgres, PORTS.cnpgInstanceManager), why: 'streaming replication between instances and their instance managers' },
      { from: PODS.cnpgOperator, to: db, ports: tcp(PORTS.cnpgInstanceManager), why: "the CloudNativePG operator reads each instance's status and triggers backups" },
    ]),
    { from: PODS.cnpgOperator, to: PODS.barmanCloudPlugin, ports: tcp(PORTS.barmanCloudPlugin), why: 'the operator calls the Barman Cloud plugin (CNPG-I over mTLS)' },
    ...(importLegacy
      ? [
          { from: PODS.litellmDb, to: PODS.litellmPostgres, ports: tcp(PORTS.postgres), why: 'one-time import of the old LiteLLM database (components.postgres.importLegacyReleases)' },
          { from: PODS.langfuseDb, to: PODS.observability, ports: tcp(PORTS.postgres), why: "one-time import of Langfuse's bundled Postgres (components.postgres.importLegacyReleases)" },
        ]
      : []),
  ];
  const egress: ExternalEgress[] = clusters.flatMap(({ db }) => [
    { id: 'object-storage', from: db, cidrs: ['0.0.0.0/0'], ports: tcp(443), why: 'WAL archive and base backups to the in-region bucket/container (gateway/private endpoint) over HTTPS' },
    ...agentEgress(db, 'the node-local credential agent hands out the backup credentials'),
  ]);
  const entityEgress: EntityEgress[] = clusters.map(({ db }) => ({
    id: 'api-server',
    from: db,
    to: 'api-server',
    ports: tcp(443),
    why: 'the instance manager and the barman sidecar watch their Cluster, ObjectStore and Secrets',
  }));
  return { pods, egress, ingress: [], entityEgress };
}

/**
 * What tenant stacks need from the platform (lib/tenancy/platform-contract.ts derives its endpoints from the
 * same PODS/PORTS): ingress from every tenant namespace to exactly the endpoints tenants egress to, and the
 * tenant provisioning Jobs that run next to an admin credential in a platform namespace.
 */
export function tenantFlows(): PodFlow[] {
  const fromTenants = (to: PodGroup, ports: number[], why: string): PodFlow => ({ from: PODS.tenants, to, ports: tcp(...ports), why });
  return [
    fromTenants(PODS.orchestrator, [PORTS.orchestrator], 'tenant workloads call the orchestrator API'),
    fromTenants(PODS.litellm, [PORTS.litellm], 'tenant workloads call the LLM gateway (completions and embeddings) with their own virtual keys'),
    fromTenants(PODS.qdrant, [PORTS.qdrantHttp, PORTS.qdrantGrpc], 'tenant workloads reach Qdrant (they hold no Qdrant credential; the orchestrator does)'),
    fromTenants(PODS.ingestionQueue, [PORTS.redis], "tenant ingestion workers read their own streams (ACL user per tenant)"),
    { from: PODS.litellmProvisioner, to: PODS.litellm, ports: tcp(PORTS.litellm), why: 'tenant provisioning Jobs create teams and keys through the admin API' },
    { from: PODS.queueAclProvisioner, to: PODS.ingestionQueue, ports: tcp(PORTS.redis), why: 'tenant provisioning Jobs create the tenant ACL users (ACL SETUSER, ACL SAVE)' },
    { from: PODS.kedaOperator, to: PODS.ingestionQueue, ports: tcp(PORTS.redis), why: "KEDA's redis-streams scaler reads each tenant stream's lag (as the tenant's ACL user)" },
    // The ingress side is the tenant stack's (lib/tenancy/network-policy.ts: its workers' metrics port only).
    { from: PODS.prometheus, to: PODS.tenants, ports: tcp(PORTS.orchestratorMetrics), why: "metrics of the tenants' ingestion workers (PodMonitor in each tenant namespace)" },
  ];
}

export interface NetworkPoliciesProps {
  /** Namespaces that get default-deny ingress and egress. */
  readonly defaultDenyNamespaces: readonly string[];
  readonly flows: FlowSet;
  readonly network: ClusterNetwork;
  readonly dependsOn?: ITerraformDependable[];
}

/** Cilium's names for the cluster entities (https://docs.cilium.io/en/stable/security/policy/language/#entities-based). */
const CILIUM_ENTITIES: Readonly<Record<ClusterEntity, readonly string[]>> = { 'api-server': ['kube-apiserver'], nodes: ['host', 'remote-node'] };

const peer = (group: PodGroup): NetworkPolicyV1SpecIngressFrom & NetworkPolicyV1SpecEgressTo => ({
  namespaceSelector: { matchLabels: group.namespaceLabels ? { ...group.namespaceLabels } : { [NAMESPACE_LABEL]: group.namespace } },
  podSelector: { matchLabels: { ...group.pods } },
});

/** Policies are written only in namespaces this stack owns (selected by name), never in label-selected ones. */
const owned = (denied: ReadonlySet<string>, group: PodGroup) => group.namespaceLabels === undefined && denied.has(group.namespace);

const ports = (list: readonly Port[]) => list.map((p) => ({ port: String(p.port), protocol: p.protocol ?? 'TCP' }));

/**
 * Default-deny (ingress + egress) in every application namespace, DNS to kube-system, and one policy pair
 * per flow. Policies are additive, so each allow only opens its own ports between its own pods.
 */
export class PlatformNetworkPolicies extends Construct {
  constructor(scope: Construct, id: string, props: NetworkPoliciesProps) {
    super(scope, id);
    const denied = new Set(props.defaultDenyNamespaces);
    const dependsOn = props.dependsOn;
    for (const namespace of props.defaultDenyNamespaces) {
      new NetworkPolicyV1(this, `${namespace}-default-deny`, {
        metadata: { name: 'default-deny', namespace, annotations: { 'rag.platform/why': 'nothing flows unless a policy below allows it' } },
        spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
        dependsOn,
      });
      new NetworkPolicyV1(this, `${namespace}-allow-dns`, {
        metadata: { name: 'allow-dns', namespace, annotations: { 'rag.platform/why': 'name resolution through kube-dns only' } },
        spec: {
          podSelector: {},
          policyTypes: ['Egress'],
          egress: [{ to: [peer(PODS.kubeDns)], ports: [{ port: '53', protocol: 'UDP' }, { port: '53', protocol: 'TCP' }] }],
        },
        dependsOn,
      });
    }
    for (const flow of props.flows.pods) {
      const name = `allow-${flow.from.id}-to-${flow.to.id}`;
      const annotations = { 'rag.platform/why': flow.why };
      const portRules = flow.ports.length > 0 ? { ports: ports(flow.ports) } : {};
      if (owned(denied, flow.from)) {
        new NetworkPolicyV1(this, `${flow.from.namespace}-${name}-egress`, {
          metadata: { name: `${name}-egress`, namespace: flow.from.namespace, annotations },
          spec: { podSelector: { matchLabels: { ...flow.from.pods } }, policyTypes: ['Egress'], egress: [{ to: [peer(flow.to)], ...portRules }] },
          dependsOn,
        });
      }
      if (owned(denied, flow.to)) {
        new NetworkPolicyV1(this, `${flow.to.namespace}-${name}-ingress`, {
          metadata: { name: `${name}-ingress`, namespace: flow.to.namespace, annotations },
          spec: { podSelector: { matchLabels: { ...flow.to.pods } }, policyTypes: ['Ingress'], ingress: [{ from: [peer(flow.from)], ...portRules }] },
          dependsOn,
        });
      }
    }
    for (const rule of props.flows.egress) {
      const name = `allow-${rule.from.id}-to-${rule.id}`;
      new NetworkPolicyV1(this, `${rule.from.namespace}-${name}`, {
        metadata: { name, namespace: rule.from.namespace, annotations: { 'rag.platform/why': rule.why } },
        spec: {
          podSelector: { matchLabels: { ...rule.from.pods } },
          policyTypes: ['Egress'],
          egress: [{ to: rule.cidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: ports(rule.ports) }],
        },
        dependsOn,
      });
    }
    for (const rule of props.flows.entityEgress ?? []) {
      this.entityPolicy(props, rule.from, 'Egress', rule.to, rule.ports, `allow-${rule.from.id}-to-${rule.id}`, rule.why);
    }
    for (const rule of props.flows.entityIngress ?? []) {
      this.entityPolicy(props, rule.to, 'Ingress', rule.from, rule.ports, `allow-${rule.id}-to-${rule.to.id}`, rule.why);
    }
    for (const rule of props.flows.ingress) {
      const name = `allow-${rule.id}-to-${rule.to.id}`;
      new NetworkPolicyV1(this, `${rule.to.namespace}-${name}`, {
        metadata: { name, namespace: rule.to.namespace, annotations: { 'rag.platform/why': rule.why } },
        spec: {
          podSelector: { matchLabels: { ...rule.to.pods } },
          policyTypes: ['Ingress'],
          ingress: [{ from: rule.cidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: ports(rule.ports) }],
        },
        dependsOn,
      });
    }
  }

  /**
   * One policy between `pods` and a cluster entity. `kubernetes`: a NetworkPolicy with the entity's CIDRs as
   * ipBlock. `cilium`: ipBlock never matches the API server or node addresses (Cilium gives them reserved
   * identities), so a CiliumNetworkPolicy with `toEntities`/`fromEntities`; it adds to the NetworkPolicies
   * of the namespace like any other allow.
   */
  private entityPolicy(props: NetworkPoliciesProps, pods: PodGroup, direction: 'Egress' | 'Ingress', entity: ClusterEntity, list: readonly Port[], name: string, why: string): void {
    const { network, dependsOn } = props;
    const metadata = { name, namespace: pods.namespace, annotations: { 'rag.platform/why': why } };
    const id = `${pods.namespace}-${name}`;
    if (network.flavour === 'cilium') {
      const peer = direction === 'Egress' ? { toEntities: [...CILIUM_ENTITIES[entity]] } : { fromEntities: [...CILIUM_ENTITIES[entity]] };
      const rule = { ...peer, toPorts: [{ ports: list.map((p) => ({ port: String(p.port), protocol: p.protocol ?? 'TCP' })) }] };
      new Manifest(this, id, {
        manifest: {
          apiVersion: 'cilium.io/v2',
          kind: 'CiliumNetworkPolicy',
          metadata,
          spec: { endpointSelector: { matchLabels: { ...pods.pods } }, [direction === 'Egress' ? 'egress' : 'ingress']: [rule] },
        },
        dependsOn,
      });
      return;
    }
    const cidrs = entity === 'api-server' ? network.apiServerCidrs : network.nodeCidrs;
    const blocks = cidrs.map((cidr) => ({ ipBlock: { cidr } }));
    new NetworkPolicyV1(this, id, {
      metadata,
      spec: {
        podSelector: { matchLabels: { ...pods.pods } },
        policyTypes: [direction],
        ...(direction === 'Egress' ? { egress: [{ to: blocks, ports: ports(list) }] } : { ingress: [{ from: blocks, ports: ports(list) }] }),
      },
      dependsOn,
    });
  }
}
