import { Construct } from 'constructs';
import { IngressV1 } from '../kubernetes/resources';
import { ChartRelease } from '../kubernetes/helm';
import { ExternalSecret, ExternalSecretProps } from '../kubernetes/external-secret';
import { LANGFUSE_PROJECT_KEY_TEMPLATES, LANGFUSE_PROJECT_KEYS } from './langfuse';
import { NS } from '../kubernetes/namespaces';
import { INTERNAL_INGRESS_CLASS } from '../kubernetes/baseline';
import { PORTS } from '../kubernetes/network-policies';
import { LATENCY_CRITICAL } from '../kubernetes/priority-classes';
import { deepMerge, Values } from '../kubernetes/values';
import { ComponentProps } from './component';

export interface OrchestratorOptions {
  /** Repository path inside the platform registry. */
  readonly repository: string;
  readonly tag: string;
  readonly replicas: number;
  readonly maxReplicas: number;
  /** `embeddingsUrl` is LiteLLM's: embeddings go through it with the tenant's embeddings key, never to TEI. */
  readonly endpoints: { readonly qdrantUrl: string; readonly embeddingsUrl: string; readonly litellmUrl: string; readonly langfuseHost: string };
  /** The LiteLLM model name of TEI (EMBEDDINGS_MODEL). */
  readonly embeddingsModel: string;
  /**
   * Where each tenant's data is, read through the Kubernetes API (the tenant stacks grant `get` on exactly
   * these objects). Passed in by the stack: lib/tenancy imports this module, so it cannot import lib/tenancy.
   */
  readonly tenantData: { readonly namespacePrefix: string; readonly scopeConfigMap: string; readonly credentialsSecretName: string };
}

export interface OrchestratorProps extends ComponentProps {
  readonly options: OrchestratorOptions;
}

export const ORCHESTRATOR_RELEASE = 'orchestrator';
/** The chart's ClusterIP Service port (`service.port`); the pods listen on PORTS.orchestrator. */
export const ORCHESTRATOR_SERVICE_PORT = 80;
/** The chart names its ServiceAccount after the release (`serviceAccount.name` left empty). */
export const ORCHESTRATOR_SERVICE_ACCOUNT = ORCHESTRATOR_RELEASE;

/**
 * Our orchestrator from charts/orchestrator. The image is `<imageMirror>/<components.orchestrator.repository>`:
 * the release pipeline pushes our build into the same in-region mirror as everything else, so one
 * registry rule (and one policy) covers every pod. Reached only through the internal ingress.
 */
export class Orchestrator extends Construct {
  readonly values: Values;
  readonly release: ChartRelease;

  constructor(scope: Construct, id: string, props: OrchestratorProps) {
    super(scope, id);
    const { cluster, options } = props;
    const secret = (name: string, data: ExternalSecretProps['data'], templates?: ExternalSecretProps['templates']) =>
      new ExternalSecret(this, name, {
        store: cluster.secretStore,
        environment: props.environment,
        component: 'orchestrator',
        namespace: NS.ragPlatform,
        secretName: name,
        data,
        templates,
        dependsOn: props.dependsOn,
      }).secretName;
    // The credentials it shares with a service are that service's own entries, never copies.
    const langfuse = secret('orchestrator-langfuse', LANGFUSE_PROJECT_KEYS, LANGFUSE_PROJECT_KEY_TEMPLATES);
    const qdrant = secret('orchestrator-qdrant', { 'api-key': { component: 'qdrant', key: 'api-key' } });
    const defaults: Values = {
      replicaCount: options.replicas,
      image: { registry: cluster.imageMirror, repository: options.repository, tag: options.tag },
      // Explicit, from the constants NetworkPolicies and the tenant contract use (chart defaults today).
      containerPort: PORTS.orchestrator,
      service: { port: ORCHESTRATOR_SERVICE_PORT },
      // The metrics contract (docs/tenancy.md), scraped by kube-prometheus-stack (addons stack, which
      // installs monitoring.coreos.com first) on its own port; its Prometheus selects every ServiceMonitor.
      metricsPort: PORTS.orchestratorMetrics,
      serviceMonitor: { enabled: true },
      endpoints: { ...options.endpoints },
      embeddingsModel: options.embeddingsModel,
      secrets: {
        langfusePublicKey: { name: langfuse, key: 'public-key' },
        langfuseSecretKey: { name: langfuse, key: 'secret-key' },
        qdrantApiKey: { name: qdrant, key: 'api-key' },
      },
      // Per-tenant data from each tenant namespace (lib/tenancy/credentials.ts grants `get` on exactly these).
      tenancy: {
        requireTenantId: true,
        kubernetesApi: { enabled: true, ...options.tenantData },
      },
      autoscaling: { enabled: true, maxReplicas: options.maxReplicas },
      podDisruptionBudget: { minAvailable: 2 },
      topologySpread: { zoneWhenUnsatisfiable: 'ScheduleAnyway', hostnameWhenUnsatisfiable: 'DoNotSchedule' },
      priorityClassName: LATENCY_CRITICAL,
      nodeSelector: { ...cluster.pools.general.nodeSelector },
      tolerations: cluster.pools.general.tolerations.map((t) => ({ ...t })),
    };
    this.values = deepMerge(defaults, props.values);
    this.release = new ChartRelease(this, 'release', {
      cluster,
      name: ORCHESTRATOR_RELEASE,
      namespace: NS.ragPlatform,
      source: { kind: 'local', chart: 'orchestrator' },
      values: this.values,
      dependsOn: props.dependsOn,
    });
    new IngressV1(this, 'ingress', {
      metadata: { name: ORCHESTRATOR_RELEASE, namespace: NS.ragPlatform },
      spec: {
        ingressClassName: INTERNAL_INGRESS_CLASS,
        defaultBackend: { service: { name: ORCHESTRATOR_RELEASE, port: { number: ORCHESTRATOR_SERVICE_PORT } } },
      },
      dependsOn: [this.release.release],
    });
  }
}
