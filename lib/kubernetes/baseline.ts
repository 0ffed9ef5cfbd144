import { Construct } from 'constructs';
import { ITerraformDependable } from 'cdktf';
import { CloudControlRole, ClusterInfo, PoolPlacement, SECRET_STORE_CONTROLLER_ID } from '../cluster/cluster-info';
import { ChartKey } from '../versions';
import { ChartRelease, mirroredRepository } from './helm';
import { NS } from './namespaces';
import { Pins } from './pins';
import { secretPath, TENANT_IDENTITY_PREFIX, TENANT_SECRETS_COMPONENT } from './external-secret';
import { generatedSecretPaths } from './generated-secrets';
import { PLATFORM_SECRETS } from './secret-catalog';
import { LATENCY_CRITICAL } from './priority-classes';
import { deepMerge, Values } from './values';

/** The IngressClass of the platform's internal ingress controller (Traefik behind an internal load balancer). */
export const INTERNAL_INGRESS_CLASS = 'internal';

/**
 * Add-ons in deployment order; each waits for the one before. REQUIREMENTS §2 order, except:
 * - the cloud's own controllers come first (where ClusterInfo.addOns asks for them): the node autoscaler so
 *   later releases get nodes, the load balancer controller because its Service webhook must answer before
 *   Traefik's Service;
 * - kube-prometheus-stack moved before Traefik: it installs the monitoring.coreos.com CRDs, and Traefik's
 *   chart (like any later chart with a ServiceMonitor enabled) refuses to render without them.
 * test/topology/topology.test.ts checks the order against the synthesized values.
 */
export const BASELINE_ORDER = [
  'cluster-autoscaler',
  'aws-load-balancer-controller',
  'kube-prometheus-stack',
  'traefik',
  'cert-manager',
  'external-secrets',
  'keda',
  'metrics-server',
  'nvidia-device-plugin',
] as const satisfies readonly ChartKey[];

export type BaselineAddOn = (typeof BASELINE_ORDER)[number];

export interface ClusterBaselineProps {
  readonly cluster: ClusterInfo;
  readonly environment: string;
  readonly pins: Pins;
  /** Per-add-on values merged over the defaults below. */
  readonly overrides?: Partial<Record<BaselineAddOn, Values>>;
  readonly dependsOn?: ITerraformDependable[];
}

const placement = (pool: PoolPlacement) => ({ nodeSelector: { ...pool.nodeSelector }, tolerations: pool.tolerations.map((t) => ({ ...t })) });

/** Pod Security "restricted" for charts that do not set it themselves. */
const RESTRICTED_POD = { runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, fsGroup: 65534, seccompProfile: { type: 'RuntimeDefault' } };
const RESTRICTED_CONTAINER = { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } };

/**
 * Whether this cluster gets the add-on: the cloud's controllers only where ClusterInfo asks for them, and
 * no second metrics-server where the cloud manages one (it would fight over `v1beta1.metrics.k8s.io`).
 */
export function installsAddOn(cluster: ClusterInfo, addOn: BaselineAddOn): boolean {
  switch (addOn) {
    case 'cluster-autoscaler':
      return cluster.addOns.clusterAutoscaler !== undefined;
    case 'aws-load-balancer-controller':
      return cluster.addOns.loadBalancerController !== undefined;
    case 'metrics-server':
      return !cluster.addOns.managedMetricsServer;
    default:
      return true;
  }
}

/**
 * The cluster baseline as helm releases from the chart mirror, images from the image mirror, chained with
 * depends_on in the deployment order, and external-secrets' workload identity. No custom resource lives
 * here: these releases install the CRDs, so their custom resources (the ClusterSecretStore, ...) are
 * planned by a later stack (terraform-provider-kubernetes resolves a manifest's CRD at plan time).
 */
export class ClusterBaseline extends Construct {
  /** Releases of the add-ons this cluster installs (installsAddOn). */
  readonly releases: Readonly<Partial<Record<BaselineAddOn, ChartRelease>>>;
  /** The last release of the chain: what later layers wait for. */
  readonly lastRelease: ChartRelease;
  /** The values each add-on was given (tests check every key against the chart). */
  readonly values: Readonly<Partial<Record<BaselineAddOn, Values>>>;

  constructor(scope: Construct, id: string, props: ClusterBaselineProps) {
    super(scope, id);
    const { cluster, pins } = props;
    const img = (key: keyof Pins['images']) => ({ registry: cluster.imageMirror, repository: pins.images[key].repository, tag: pins.images[key].tag });
    const full = (key: keyof Pins['images']) => ({ repository: mirroredRepository(cluster, pins.images[key]), tag: pins.images[key].tag });
    const system = placement(cluster.pools.system);

    // external-secrets reaches the secret store as itself (Pod Identity / Entra workload identity), and
    // reads only the catalog's component prefixes and rag/<env>/tenants/ (PushSecrets of tenant credentials
    // read back what they wrote; the tenant Jobs' ExternalSecrets in llm-gateway and data read them through
    // the ClusterSecretStore). It writes only the entries the platform generates in-cluster: below
    // rag/<env>/tenants/ (tenant LiteLLM keys, queue passwords; lib/tenancy/generated-secret.ts) and the
    // generated entries of the secret catalog (lib/kubernetes/generated-secrets.ts), never an external one.
    // A tenant namespace's SecretStore never reads as this identity: it names the tenant's own identity,
    // which the controller may act as (actAsIdentities) and which reads the tenant's prefix only.
    const esoIdentity = cluster.bindWorkloadIdentity(this, {
      id: SECRET_STORE_CONTROLLER_ID,
      namespace: NS.externalSecrets,
      serviceAccount: 'external-secrets',
      readSecretPrefixes: [...Object.keys(PLATFORM_SECRETS), TENANT_SECRETS_COMPONENT].map((component) => secretPath(cluster.secretStore, props.environment, component, '')),
      writeSecretPrefixes: [
        secretPath(cluster.secretStore, props.environment, TENANT_SECRETS_COMPONENT, ''),
        ...generatedSecretPaths(cluster.secretStore, props.environment),
      ],
      actAsIdentities: [`${TENANT_IDENTITY_PREFIX}*`],
    });

    // The cloud's controllers act on the cloud as themselves, with the least-privilege role ClusterInfo grants.
    const controllerIdentity = (addOn: 'cluster-autoscaler' | 'aws-load-balancer-controller', cloudControl: CloudControlRole) =>
      installsAddOn(cluster, addOn)
        ? cluster.bindWorkloadIdentity(this, { id: addOn, namespace: NS.cloudControllers, serviceAccount: addOn, cloudControl })
        : { serviceAccountAnnotations: {}, podLabels: {} };
    const autoscalerIdentity = controllerIdentity('cluster-autoscaler', 'node-autoscaler');
    const lbcIdentity = controllerIdentity('aws-load-balancer-controller', 'load-balancer-controller');

    // Releases whose pods use a workload identity wait for its cloud side (credentials are bound at pod admission).
    const identityResources: Partial<Record<BaselineAddOn, readonly ITerraformDependable[]>> = {
      'external-secrets': esoIdentity.resources,
      'cluster-autoscaler': autoscalerIdentity.resources,
      'aws-load-balancer-controller': lbcIdentity.resources,
    };
    const defaults: Record<BaselineAddOn, { namespace: string; values: Values }> = {
      'cluster-autoscaler': {
        namespace: NS.cloudControllers,
        values: deepMerge(
          {
            image: full('cluster-autoscaler'),
            rbac: { serviceAccount: { create: true, name: 'cluster-autoscaler', annotations: { ...autoscalerIdentity.serviceAccountAnnotations } } },
            podLabels: { ...autoscalerIdentity.podLabels },
            securityContext: RESTRICTED_POD,
            containerSecurityContext: RESTRICTED_CONTAINER,
            ...system,
          },
          cluster.addOns.clusterAutoscaler?.values,
        ),
      },
      'aws-load-balancer-controller': {
        namespace: NS.cloudControllers,
        values: deepMerge(
          {
            image: full('aws-load-balancer-controller'),
            serviceAccount: { create: true, name: 'aws-load-balancer-controller', annotations: { ...lbcIdentity.serviceAccountAnnotations } },
            podLabels: { ...lbcIdentity.podLabels },
            podSecurityContext: RESTRICTED_POD,
            securityContext: RESTRICTED_CONTAINER,
            // Only our ingress controller's Service: no ALB IngressClass for anyone to pick.
            createIngressClassResource: false,
            ...system,
          },
          cluster.addOns.loadBalancerController?.values,
        ),
      },
      traefik: {
        namespace: NS.ingress,
        values: {
          image: img('traefik'),
          deployment: { replicas: 3 },
          podDisruptionBudget: { enabled: true, minAvailable: 2 },
          priorityClassName: LATENCY_CRITICAL,
          ingressClass: { enabled: true, isDefaultClass: true, name: INTERNAL_INGRESS_CLASS },
          providers: { kubernetesIngress: { enabled: true }, kubernetesCRD: { enabled: false } },
          // Internal load balancer only: the cloud's annotations come from ClusterInfo.
          service: { type: 'LoadBalancer', annotations: { ...cluster.internalLoadBalancerAnnotations } },
          metrics: { prometheus: { serviceMonitor: { enabled: true } } },
          ...placement(cluster.pools.general),
        },
      },
      'cert-manager': {
        namespace: NS.certManager,
        values: {
          crds: { enabled: true, keep: true },
          image: full('cert-manager-controller'),
          webhook: { image: full('cert-manager-webhook') },
          cainjector: { image: full('cert-manager-cainjector') },
          startupapicheck: { image: full('cert-manager-startupapicheck') },
          acmesolver: { image: full('cert-manager-acmesolver') },
          ...system,
        },
      },
      'external-secrets': {
        namespace: NS.externalSecrets,
        values: {
          installCRDs: true,
          image: full('external-secrets'),
          webhook: { image: full('external-secrets') },
          certController: { image: full('external-secrets') },
          serviceAccount: { create: true, name: 'external-secrets', annotations: { ...esoIdentity.serviceAccountAnnotations } },
          podLabels: { ...esoIdentity.podLabels },
          ...system,
        },
      },
      keda: {
        namespace: NS.keda,
        values: {
          image: {
            keda: img('keda'),
            metricsApiServer: img('keda-metrics-apiserver'),
            webhooks: img('keda-admission-webhooks'),
          },
          ...system,
        },
      },
      'metrics-server': {
        namespace: NS.metricsServer,
        values: { image: full('metrics-server'), replicas: 2, podDisruptionBudget: { enabled: true, minAvailable: 1 }, ...system },
      },
      'kube-prometheus-stack': {
        namespace: NS.observability,
        values: {
          // Grafana off: dashboards are read through the platform's own Grafana/SSO, and an admin password
          // would otherwise be generated into the release.
          grafana: { enabled: false },
          // A managed control plane never exposes scheduler, controller-manager or etcd metrics to the
          // cluster: their monitors would only ever alert "target down". kube-proxy only where it runs.
          kubeScheduler: { enabled: false },
          kubeControllerManager: { enabled: false },
          kubeEtcd: { enabled: false },
          kubeProxy: { enabled: cluster.addOns.kubeProxy },
          alertmanager: { alertmanagerSpec: { image: img('alertmanager') } },
          prometheusOperator: {
            image: img('prometheus-operator'),
            prometheusConfigReloader: { image: img('prometheus-config-reloader') },
            admissionWebhooks: { patch: { image: img('admission-webhook-certgen') } },
          },
          prometheus: {
            prometheusSpec: {
              image: img('prometheus'),
              // Pick up the ServiceMonitors of every release, not only this one's.
              serviceMonitorSelectorNilUsesHelmValues: false,
              podMonitorSelectorNilUsesHelmValues: false,
              // Also every PrometheusRule (tenant stacks ship theirs without this release's label).
              ruleSelectorNilUsesHelmValues: false,
              retention: '15d',
              storageSpec: {
                volumeClaimTemplate: { spec: { storageClassName: 'encrypted', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '100Gi' } } } },
              },
            },
          },
          'kube-state-metrics': { image: img('kube-state-metrics') },
          // node-exporter needs host access: it runs in the privileged node-agents namespace.
          // The pinned tag already names the distroless build: the chart must not append `-distroless` again.
          'prometheus-node-exporter': { namespaceOverride: NS.nodeAgents, image: { ...img('node-exporter'), distroless: false } },
        },
      },
      'nvidia-device-plugin': {
        namespace: NS.gpuDevicePlugin,
        values: {
          image: full('nvidia-device-plugin'),
          // GPU nodes only: the pool's selector and taint toleration, and the label the GPU AMI/driver sets.
          nodeSelector: { ...cluster.pools.gpu.nodeSelector },
          tolerations: cluster.pools.gpu.tolerations.map((t) => ({ ...t })),
          affinity: {
            nodeAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: {
                nodeSelectorTerms: [{ matchExpressions: [{ key: 'nvidia.com/gpu.present', operator: 'In', values: ['true'] }] }],
              },
            },
          },
          gfd: { enabled: false },
          priorityClassName: 'system-node-critical',
        },
      },
    };

    const releases: Partial<Record<BaselineAddOn, ChartRelease>> = {};
    const values: Partial<Record<BaselineAddOn, Values>> = {};
    let previous: ITerraformDependable[] = props.dependsOn ?? [];
    for (const addOn of BASELINE_ORDER.filter((candidate) => installsAddOn(cluster, candidate))) {
      const spec = defaults[addOn];
      values[addOn] = deepMerge(spec.values, props.overrides?.[addOn]);
      const release = new ChartRelease(this, addOn, {
        cluster,
        name: addOn,
        namespace: spec.namespace,
        source: { kind: 'mirror', pin: pins.charts[addOn] },
        values: values[addOn]!,
        dependsOn: [...previous, ...(identityResources[addOn] ?? [])],
      });
      releases[addOn] = release;
      previous = [release.release];
    }
    this.releases = releases;
    this.values = values;
    this.lastRelease = releases['nvidia-device-plugin']!;
  }
}
