import { Construct } from 'constructs';
import { TerraformStack } from 'cdktf';
import { EnvironmentConfig } from '../lib/config/schema';
import { ClusterInfo } from '../lib/cluster/cluster-info';
import { stackName } from '../lib/naming';
import { TERRAFORM_REQUIRED_VERSION } from '../lib/versions';
import { addKubernetesProviders } from '../lib/kubernetes/providers';
import { NAMESPACES, NS, PlatformNamespaces } from '../lib/kubernetes/namespaces';
import { EncryptedDefaultStorageClass } from '../lib/kubernetes/storage-class';
import { PlatformPriorityClasses } from '../lib/kubernetes/priority-classes';
import { mergeFlows, PlatformNetworkPolicies, platformFlows, PORTS } from '../lib/kubernetes/network-policies';
import { addOnFlows } from '../lib/kubernetes/addon-flows';
import { ClusterBaseline, installsAddOn } from '../lib/kubernetes/baseline';
import { ChartRelease } from '../lib/kubernetes/helm';
import { resolvePins } from '../lib/kubernetes/pins';
import { Qdrant, QDRANT_RELEASE } from '../lib/components/qdrant';
import { Tei, TEI_RELEASE } from '../lib/components/tei';
import { LiteLlm, LITELLM_RELEASE } from '../lib/components/litellm';
import { Langfuse, LANGFUSE_RELEASE } from '../lib/components/langfuse';
import { Orchestrator } from '../lib/components/orchestrator';
import { IngestionQueue } from '../lib/components/ingestion-queue';
import { configureBackend } from './backend';

/** RFC 1918: the internal load balancer only ever forwards from private addresses. */
const PRIVATE_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'];

/**
 * `<env>-workloads`: cluster baseline and the RAG components, through the kubernetes and helm providers.
 * Everything it knows about the cluster comes from ClusterInfo (tokens into the platform stack's state).
 */
export class WorkloadsStack extends TerraformStack {
  readonly baseline: ClusterBaseline;
  readonly qdrant: Qdrant;
  readonly tei: Tei;
  readonly litellm: LiteLlm;
  readonly langfuse: Langfuse;
  readonly orchestrator: Orchestrator;
  readonly ingestionQueue: IngestionQueue;

  constructor(scope: Construct, config: EnvironmentConfig, cluster: ClusterInfo) {
    const name = stackName(config.name, 'workloads');
    super(scope, name);
    configureBackend(this, config, name);
    this.addOverride('terraform.required_version', TERRAFORM_REQUIRED_VERSION);
    cluster.addCloudProvider(this);
    addKubernetesProviders(this, cluster);

    const environment = config.name;
    const pins = resolvePins(config.versions);
    const namespaceSpecs = NAMESPACES.filter((ns) => ns.onlyWith === undefined || ns.onlyWith.some((addOn) => installsAddOn(cluster, addOn)));
    const namespaces = new PlatformNamespaces(this, 'namespaces', { environment, namespaces: namespaceSpecs });
    const allNamespaces = Object.values(namespaces.byName);
    const storage = new EncryptedDefaultStorageClass(this, 'storage-class', { definition: cluster.storageClass });
    new PlatformPriorityClasses(this, 'priority-classes');
    new PlatformNetworkPolicies(this, 'network-policies', {
      defaultDenyNamespaces: namespaceSpecs.filter((ns) => ns.defaultDeny).map((ns) => ns.name),
      flows: mergeFlows(platformFlows({ loadBalancerSources: PRIVATE_RANGES }), addOnFlows(cluster, new Set(namespaceSpecs.map((ns) => ns.name)))),
      network: { flavour: cluster.networkPolicyFlavour, apiServerCidrs: cluster.apiServerCidrs, nodeCidrs: cluster.nodeCidrs },
      dependsOn: allNamespaces,
    });

    this.baseline = new ClusterBaseline(this, 'baseline', {
      cluster,
      environment,
      pins,
      secretNamespaces: [NS.ragPlatform, NS.embeddings, NS.vectordb, NS.llmGateway, NS.observability, NS.data],
      dependsOn: [...allNamespaces, storage.storageClass],
    });
    const baselineDone = this.baseline.lastRelease.release;
    const secretsReady = [baselineDone, this.baseline.secretStore];

    // Data tier prerequisites of Langfuse: the ClickHouse operator (needs cert-manager, installed above).
    const chOperator = pins.images['clickhouse-operator'];
    const clickhouseOperator = new ChartRelease(this, 'clickhouse-operator', {
      cluster,
      name: 'clickhouse-operator',
      namespace: NS.clickhouseOperator,
      source: { kind: 'mirror', pin: pins.charts['clickhouse-operator'] },
      values: {
        image: { repository: `${cluster.imageMirror}/${chOperator.repository}`, tag: chOperator.tag },
        certManager: { install: false },
      },
      dependsOn: secretsReady,
    });

    // Deployment sequence: Langfuse; Qdrant; TEI; LiteLLM; orchestrator (REQUIREMENTS §2).
    this.langfuse = new Langfuse(this, 'langfuse', { cluster, environment, pins, dependsOn: [...secretsReady, clickhouseOperator.release] });
    const qdrant = config.components.qdrant;
    this.qdrant = new Qdrant(this, 'qdrant', {
      cluster,
      environment,
      pins,
      options: { replicas: qdrant.replicas, shards: qdrant.shards, replicationFactor: qdrant.replicationFactor, storageGi: qdrant.storageGi, expectedVectors: qdrant.expectedVectors },
      dependsOn: [...secretsReady, this.langfuse.release.release],
    });
    const tei = config.components.tei;
    this.tei = new Tei(this, 'tei', {
      cluster,
      environment,
      pins,
      options: { modelId: tei.modelId, revision: tei.revision, replicas: tei.replicas, maxBatchTokens: tei.maxBatchTokens },
      dependsOn: [...secretsReady, this.qdrant.release.release],
    });
    this.litellm = new LiteLlm(this, 'litellm', {
      cluster,
      environment,
      pins,
      options: { models: config.llm.models, fallbacks: config.llm.fallbacks },
      dependsOn: [...secretsReady, this.tei.release.release],
    });
    const orchestrator = config.components.orchestrator;
    const svc = (release: string, namespace: string, port: number) => `http://${release}.${namespace}.svc.cluster.local:${port}`;
    this.orchestrator = new Orchestrator(this, 'orchestrator', {
      cluster,
      environment,
      pins,
      options: {
        repository: orchestrator.repository,
        tag: orchestrator.tag,
        replicas: orchestrator.replicas,
        maxReplicas: orchestrator.maxReplicas,
        endpoints: {
          qdrantUrl: svc(QDRANT_RELEASE, NS.vectordb, PORTS.qdrantHttp),
          teiUrl: svc(TEI_RELEASE, NS.embeddings, PORTS.teiHttp),
          litellmUrl: svc(LITELLM_RELEASE, NS.llmGateway, PORTS.litellm),
          langfuseHost: svc(`${LANGFUSE_RELEASE}-web`, NS.observability, PORTS.langfuseWeb),
        },
      },
      dependsOn: [...secretsReady, this.litellm.release.release],
    });
    // The tenants' ingestion queue (tenant stacks add their ACL users); not on the request path, so it is
    // outside the REQUIREMENTS §2 sequence and only waits for the baseline and the secret store.
    this.ingestionQueue = new IngestionQueue(this, 'ingestion-queue', { cluster, environment, pins, dependsOn: secretsReady });
  }
}
