import { Construct } from 'constructs';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { MANAGED_BY } from '../tags';
import type { BaselineAddOn } from './baseline';

export type PodSecurityLevel = 'restricted' | 'baseline' | 'privileged';

export interface NamespaceSpec {
  readonly name: string;
  readonly podSecurity: PodSecurityLevel;
  /** Why the level is what it is (kept in an annotation so an auditor sees it on the cluster too). */
  readonly reason: string;
  /** Application namespaces get default-deny ingress+egress and the explicit allows of network-policies.ts. */
  readonly defaultDeny: boolean;
  /** Created only on clusters that install one of these add-ons (ClusterBaseline's installsAddOn). */
  readonly onlyWith?: readonly BaselineAddOn[];
}

/** Namespace names used across constructs (DNS names, network policies, ExternalSecrets). */
export const NS = {
  ragPlatform: 'rag-platform',
  embeddings: 'embeddings',
  vectordb: 'vectordb',
  llmGateway: 'llm-gateway',
  observability: 'observability',
  data: 'data',
  ingress: 'ingress',
  certManager: 'cert-manager',
  externalSecrets: 'external-secrets',
  keda: 'keda',
  metricsServer: 'metrics-server',
  clickhouseOperator: 'clickhouse-operator',
  cnpgOperator: 'cnpg-system',
  cloudControllers: 'cloud-controllers',
  gpuDevicePlugin: 'gpu-device-plugin',
  nodeAgents: 'node-agents',
} as const;

/**
 * Every namespace the addons stack creates. Restricted wherever the workload runs as non-root without
 * host access; the exceptions say why.
 */
export const NAMESPACES: readonly NamespaceSpec[] = [
  { name: NS.ragPlatform, podSecurity: 'restricted', reason: 'orchestrator chart: non-root, read-only root fs, no capabilities', defaultDeny: true },
  { name: NS.embeddings, podSecurity: 'restricted', reason: 'TEI chart: non-root fixed UID, GPU via the device plugin (no privileges needed)', defaultDeny: true },
  { name: NS.vectordb, podSecurity: 'restricted', reason: 'Qdrant non-root with seccomp RuntimeDefault; the root chown init container is disabled', defaultDeny: true },
  {
    name: NS.llmGateway,
    podSecurity: 'baseline',
    reason: 'the litellm-database image runs as root and writes Prisma files at start; baseline still forbids host access and privilege',
    defaultDeny: true,
  },
  {
    name: NS.observability,
    podSecurity: 'baseline',
    reason: 'Langfuse bundled Postgres/Valkey/ClickHouse and Grafana do not all set seccomp/capabilities; node-exporter lives in node-agents',
    defaultDeny: true,
  },
  { name: NS.data, podSecurity: 'baseline', reason: 'official postgres image starts as root to fix data-dir ownership before dropping to uid 999', defaultDeny: true },
  { name: NS.ingress, podSecurity: 'restricted', reason: 'Traefik chart: non-root 65532, read-only root fs, capabilities dropped, seccomp RuntimeDefault', defaultDeny: true },
  // Add-ons: default-deny too (their controllers hold cloud credentials or cluster-wide write access); the
  // flows they need (API server both ways, cloud APIs, credential agent) are in addon-flows.ts.
  { name: NS.certManager, podSecurity: 'restricted', reason: 'cert-manager chart is restricted-compliant', defaultDeny: true },
  { name: NS.externalSecrets, podSecurity: 'restricted', reason: 'external-secrets chart is restricted-compliant', defaultDeny: true },
  { name: NS.keda, podSecurity: 'restricted', reason: 'KEDA chart is restricted-compliant', defaultDeny: true },
  { name: NS.metricsServer, podSecurity: 'restricted', reason: 'metrics-server chart is restricted-compliant', defaultDeny: true, onlyWith: ['metrics-server'] },
  {
    name: NS.cloudControllers,
    podSecurity: 'restricted',
    reason: 'cluster-autoscaler and the AWS Load Balancer Controller run non-root with the restricted securityContext the baseline sets',
    defaultDeny: true,
    onlyWith: ['cluster-autoscaler', 'aws-load-balancer-controller'],
  },
  { name: NS.clickhouseOperator, podSecurity: 'baseline', reason: 'alpha-quality operator chart; its securityContext is not documented as restricted', defaultDeny: true },
  {
    name: NS.cnpgOperator,
    podSecurity: 'restricted',
    reason: 'CloudNativePG chart: non-root 10001, read-only root fs, capabilities dropped, seccomp RuntimeDefault',
    defaultDeny: true,
  },
  {
    name: NS.gpuDevicePlugin,
    podSecurity: 'privileged',
    reason: 'the NVIDIA device plugin mounts the kubelet device-plugin socket (hostPath) and needs privileges to enumerate GPUs',
    defaultDeny: true,
  },
  { name: NS.nodeAgents, podSecurity: 'privileged', reason: 'node-exporter needs hostNetwork, hostPID and host filesystem mounts', defaultDeny: true },
];

export interface PlatformNamespacesProps {
  readonly environment: string;
  readonly namespaces?: readonly NamespaceSpec[];
}

/** The namespaces with Pod Security Admission labels (enforce + audit + warn at the same level). */
export class PlatformNamespaces extends Construct {
  readonly byName: Readonly<Record<string, NamespaceV1>>;

  constructor(scope: Construct, id: string, props: PlatformNamespacesProps) {
    super(scope, id);
    const byName: Record<string, NamespaceV1> = {};
    for (const spec of props.namespaces ?? NAMESPACES) {
      byName[spec.name] = new NamespaceV1(this, spec.name, {
        metadata: {
          name: spec.name,
          labels: {
            'pod-security.kubernetes.io/enforce': spec.podSecurity,
            'pod-security.kubernetes.io/audit': spec.podSecurity,
            'pod-security.kubernetes.io/warn': spec.podSecurity,
            environment: props.environment,
            'managed-by': MANAGED_BY,
          },
          annotations: { 'rag.platform/pod-security-reason': spec.reason },
        },
      });
    }
    this.byName = byName;
  }
}
