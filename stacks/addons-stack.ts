import { Construct } from 'constructs';
import { EnvironmentConfig } from '../lib/config/schema';
import { ClusterInfo } from '../lib/cluster/cluster-info';
import { stackName } from '../lib/naming';
import { NAMESPACES, NS, PlatformNamespaces } from '../lib/kubernetes/namespaces';
import { EncryptedDefaultStorageClass } from '../lib/kubernetes/storage-class';
import { PlatformPriorityClasses } from '../lib/kubernetes/priority-classes';
import { mergeFlows, PlatformNetworkPolicies, platformFlows } from '../lib/kubernetes/network-policies';
import { addOnFlows } from '../lib/kubernetes/addon-flows';
import { ClusterBaseline, installsAddOn } from '../lib/kubernetes/baseline';
import { ChartRelease, mirroredRepository } from '../lib/kubernetes/helm';
import { resolvePins } from '../lib/kubernetes/pins';
import { ClusterStack } from './cluster-stack';

/** RFC 1918: the internal load balancer only ever forwards from private addresses. */
const PRIVATE_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'];

/**
 * `<env>-addons`: the CRD-bearing cluster baseline (between `<env>-platform` and `<env>-workloads`) and what
 * it needs first: namespaces with their Pod Security labels and network policies, the encrypted default
 * StorageClass, priority classes, external-secrets' workload identity. It holds no custom resource whose CRD
 * a release installs: the kubernetes provider resolves a kubernetes_manifest's CRD at plan time, so those
 * are planned by a later stack. The one exception is the CNI's own: on Cilium clusters the network policies
 * include CiliumNetworkPolicies, whose CRD the cloud installs with the cluster (platform stack).
 *
 * Construct ids are the ones these objects had in the workloads stack (the README says how to move state).
 */
export class AddonsStack extends ClusterStack {
  readonly baseline: ClusterBaseline;
  readonly clickhouseOperator: ChartRelease;
  readonly cnpgOperator: ChartRelease;
  readonly barmanCloudPlugin: ChartRelease;

  constructor(scope: Construct, config: EnvironmentConfig, cluster: ClusterInfo) {
    super(scope, stackName(config.name, 'addons'), config, cluster, true);

    const environment = config.name;
    const pins = resolvePins(config.versions);
    const namespaceSpecs = NAMESPACES.filter((ns) => ns.onlyWith === undefined || ns.onlyWith.some((addOn) => installsAddOn(cluster, addOn)));
    const namespaces = new PlatformNamespaces(this, 'namespaces', { environment, namespaces: namespaceSpecs });
    const allNamespaces = Object.values(namespaces.byName);
    const storage = new EncryptedDefaultStorageClass(this, 'storage-class', { definition: cluster.storageClass });
    const priorityClasses = new PlatformPriorityClasses(this, 'priority-classes');
    // With the namespaces, so no namespace ever exists without its default-deny (the add-ons run under it).
    new PlatformNetworkPolicies(this, 'network-policies', {
      defaultDenyNamespaces: namespaceSpecs.filter((ns) => ns.defaultDeny).map((ns) => ns.name),
      flows: mergeFlows(
        platformFlows({ loadBalancerSources: PRIVATE_RANGES, workloadIdentityAgent: cluster.workloadIdentityAgent, importLegacyPostgres: config.components.postgres.importLegacyReleases }),
        addOnFlows(cluster, new Set(namespaceSpecs.map((ns) => ns.name))),
      ),
      network: { flavour: cluster.networkPolicyFlavour, apiServerCidrs: cluster.apiServerCidrs, nodeCidrs: cluster.nodeCidrs },
      dependsOn: allNamespaces,
    });

    this.baseline = new ClusterBaseline(this, 'baseline', {
      cluster,
      environment,
      pins,
      // Traefik's pods use rag-latency-critical: admission rejects them while the class is missing.
      dependsOn: [...allNamespaces, storage.storageClass, ...priorityClasses.classes],
    });

    // Data tier prerequisite of Langfuse (its chart renders ClickHouse custom resources): the ClickHouse
    // operator, which needs cert-manager (installed by the baseline above).
    const chOperator = pins.images['clickhouse-operator'];
    this.clickhouseOperator = new ChartRelease(this, 'clickhouse-operator', {
      cluster,
      name: 'clickhouse-operator',
      namespace: NS.clickhouseOperator,
      source: { kind: 'mirror', pin: pins.charts['clickhouse-operator'] },
      values: {
        // The chart reads the operator image under `manager` (a top-level `image` is silently ignored and the
        // pod would pull ghcr.io's default).
        manager: {
          image: { repository: mirroredRepository(cluster, chOperator), tag: chOperator.tag },
          nodeSelector: { ...cluster.pools.system.nodeSelector },
          tolerations: cluster.pools.system.tolerations.map((t) => ({ ...t })),
        },
        certManager: { install: false },
      },
      dependsOn: [this.baseline.lastRelease.release],
    });

    // The Postgres operator of the data tier (its CRDs: postgresql.cnpg.io), here so the workloads stack can
    // plan Cluster and ScheduledBackup manifests; it runs no database by itself.
    const cnpg = pins.images['cloudnative-pg'];
    this.cnpgOperator = new ChartRelease(this, 'cloudnative-pg', {
      cluster,
      name: 'cloudnative-pg',
      namespace: NS.cnpgOperator,
      source: { kind: 'mirror', pin: pins.charts['cloudnative-pg'] },
      values: {
        image: { repository: mirroredRepository(cluster, cnpg), tag: cnpg.tag },
        nodeSelector: { ...cluster.pools.system.nodeSelector },
        tolerations: cluster.pools.system.tolerations.map((t) => ({ ...t })),
      },
      dependsOn: [this.baseline.lastRelease.release],
    });

    // The Barman Cloud plugin (WAL archive and base backups of every Cluster, CRD barmancloud.cnpg.io): in the
    // operator's namespace, where the operator discovers it by its Service; its TLS certificates come from
    // cert-manager (the baseline). The chart joins `<registry>/<repository>:<tag>`, so the mirror is the registry.
    const plugin = pins.images['plugin-barman-cloud'];
    const sidecar = pins.images['plugin-barman-cloud-sidecar'];
    this.barmanCloudPlugin = new ChartRelease(this, 'plugin-barman-cloud', {
      cluster,
      name: 'plugin-barman-cloud',
      namespace: NS.cnpgOperator,
      source: { kind: 'mirror', pin: pins.charts['plugin-barman-cloud'] },
      values: {
        image: { registry: cluster.imageMirror, repository: plugin.repository, tag: plugin.tag },
        sidecarImage: { registry: cluster.imageMirror, repository: sidecar.repository, tag: sidecar.tag },
        nodeSelector: { ...cluster.pools.system.nodeSelector },
        tolerations: cluster.pools.system.tolerations.map((t) => ({ ...t })),
      },
      dependsOn: [this.cnpgOperator.release],
    });
  }
}
