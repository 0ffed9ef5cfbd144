import { Construct } from 'constructs';
import { ITerraformDependable } from 'cdktf';
import { ClusterInfo, PoolPlacement } from '../cluster/cluster-info';
import { ChartKey } from '../versions';
import { ChartRelease, mirroredRepository } from './helm';
import { NS } from './namespaces';
import { Pins } from './pins';
import { secretPath, TENANT_SECRETS_COMPONENT } from './external-secret';
import { LATENCY_CRITICAL } from './priority-classes';
import { deepMerge, Values } from './values';

/**
 * Add-ons in deployment order; each waits for the one before. REQUIREMENTS §2 order, except that
 * kube-prometheus-stack moved first: it installs the monitoring.coreos.com CRDs, and Traefik's chart (and
 * any later chart with a ServiceMonitor enabled) refuses to render without them. test/topology checks it.
 */
export const BASELINE_ORDER = [
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

/**
 * The cluster baseline as helm releases from the chart mirror, images from the image mirror, chained with
 * depends_on in the deployment order, and external-secrets' workload identity. No custom resource lives
 * here: these releases install the CRDs, so their custom resources (the ClusterSecretStore, ...) are
 * planned by a later stack (terraform-provider-kubernetes resolves a manifest's CRD at plan time).
 */
export class ClusterBaseline extends Construct {
  readonly releases: Readonly<Record<BaselineAddOn, ChartRelease>>;
  /** The values each add-on was given (tests check every key against the chart). */
  readonly values: Readonly<Record<BaselineAddOn, Values>>;

  constructor(scope: Construct, id: string, props: ClusterBaselineProps) {
    super(scope, id);
    const { cluster, pins } = props;
    const img = (key: keyof Pins['images']) => ({ registry: cluster.imageMirror, repository: pins.images[key].repository, tag: pins.images[key].tag });
    const full = (key: keyof Pins['images']) => ({ repository: mirroredRepository(cluster, pins.images[key]), tag: pins.images[key].tag });
    const system = placement(cluster.pools.system);

    // external-secrets reaches the secret store as itself (Pod Identity / Entra workload identity), and
    // only below rag/<env>/. It writes only below rag/<env>/tenants/: the PushSecrets of credentials that
    // tenant stacks generate in-cluster (LiteLLM keys, queue passwords; lib/tenancy/generated-secret.ts).
    const esoIdentity = cluster.bindWorkloadIdentity(this, {
      id: 'external-secrets',
      namespace: NS.externalSecrets,
      serviceAccount: 'external-secrets',
      readSecretPrefixes: [secretPath(cluster.secretStore, props.environment, '')],
      writeSecretPrefixes: [secretPath(cluster.secretStore, props.environment, TENANT_SECRETS_COMPONENT, '')],
    });

    const defaults: Record<BaselineAddOn, { namespace: string; values: Values }> = {
      traefik: {
        namespace: NS.ingress,
        values: {
          image: img('traefik'),
          deployment: { replicas: 3 },
          podDisruptionBudget: { enabled: true, minAvailable: 2 },
          priorityClassName: LATENCY_CRITICAL,
          ingressClass: { enabled: true, isDefaultClass: true, name: 'internal' },
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
              retention: '15d',
              storageSpec: {
                volumeClaimTemplate: { spec: { storageClassName: 'encrypted', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '100Gi' } } } },
              },
            },
          },
          'kube-state-metrics': { image: img('kube-state-metrics') },
          // node-exporter needs host access: it runs in the privileged node-agents namespace.
          'prometheus-node-exporter': { namespaceOverride: NS.nodeAgents, image: img('node-exporter') },
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
    for (const addOn of BASELINE_ORDER) {
      const spec = defaults[addOn];
      values[addOn] = deepMerge(spec.values, props.overrides?.[addOn]);
      const release = new ChartRelease(this, addOn, {
        cluster,
        name: addOn,
        namespace: spec.namespace,
        source: { kind: 'mirror', pin: pins.charts[addOn] },
        values: values[addOn]!,
        dependsOn: previous,
      });
      releases[addOn] = release;
      previous = [release.release];
    }
    this.releases = releases as Record<BaselineAddOn, ChartRelease>;
    this.values = values as Record<BaselineAddOn, Values>;
  }
}
