import { Construct } from 'constructs';
import { EnvironmentConfig } from '../lib/config/schema';
import { ClusterInfo } from '../lib/cluster/cluster-info';
import { stackName } from '../lib/naming';
import { NS } from '../lib/kubernetes/namespaces';
import { PORTS } from '../lib/kubernetes/network-policies';
import { ClusterSecretStore } from '../lib/kubernetes/cluster-secret-store';
import { GeneratedPlatformSecrets } from '../lib/kubernetes/generated-secrets';
import { resolvePins } from '../lib/kubernetes/pins';
import { Qdrant, QDRANT_RELEASE } from '../lib/components/qdrant';
import { Tei, TEI_RELEASE } from '../lib/components/tei';
import { embeddingDimensions } from '../lib/components/tei-model';
import { tenantNamespaceName } from '../lib/tenancy/labels';
import { TENANT_SCOPE_CONFIG_MAP } from '../lib/tenancy/scope';
import { TENANT_CREDENTIALS_SECRET } from '../lib/tenancy/credentials';
import { EMBEDDINGS_MODEL, LiteLlm, LITELLM_RELEASE } from '../lib/components/litellm';
import { Langfuse, LANGFUSE_RELEASE } from '../lib/components/langfuse';
import { Orchestrator } from '../lib/components/orchestrator';
import { IngestionQueue } from '../lib/components/ingestion-queue';
import { AddonsStack } from './addons-stack';
import { ClusterStack } from './cluster-stack';

/**
 * `<env>-workloads`: the RAG components and every platform custom resource (the ClusterSecretStore, the
 * ExternalSecrets), through the kubernetes and helm providers. Applied after `<env>-addons`, whose releases
 * install the CRDs these objects need at plan time. Everything it knows about the cluster comes from
 * ClusterInfo (tokens into the platform stack's state).
 */
export class WorkloadsStack extends ClusterStack {
  readonly secretStore: ClusterSecretStore;
  readonly qdrant: Qdrant;
  readonly tei: Tei;
  readonly litellm: LiteLlm;
  readonly langfuse: Langfuse;
  readonly orchestrator: Orchestrator;
  readonly ingestionQueue: IngestionQueue;

  constructor(scope: Construct, config: EnvironmentConfig, cluster: ClusterInfo, addons: AddonsStack) {
    super(scope, stackName(config.name, 'workloads'), config, cluster, true);

    const environment = config.name;
    const pins = resolvePins(config.versions);
    this.addDependency(addons);

    // Under the construct path it had when the baseline shared this stack (baseline/cluster-secret-store),
    // so its state address did not change when the baseline moved to the addons stack.
    this.secretStore = new ClusterSecretStore(new Construct(this, 'baseline'), 'cluster-secret-store', {
      store: cluster.secretStore,
      // external-secrets' own namespace holds the generators of the platform's credentials (no workloads run there).
      namespaces: [NS.ragPlatform, NS.embeddings, NS.vectordb, NS.llmGateway, NS.observability, NS.data, NS.externalSecrets],
    });
    // Every internal credential is generated in-region before anything reads it: a fresh environment needs
    // no hand-seeded secret (only the external ones `npm run secrets -- --check` lists).
    const generated = new GeneratedPlatformSecrets(this, 'generated-secrets', {
      store: cluster.secretStore,
      environment: config.name,
      namespace: NS.externalSecrets,
      dependsOn: [this.secretStore],
    });
    const secretsReady = [this.secretStore, ...generated.pushSecrets];

    // Each consumer's Postgres Cluster (components.postgres): backups kept retentionDays, and the old
    // releases kept while their databases are imported.
    const postgres = { retentionDays: config.components.postgres.backup.retentionDays, importLegacyRelease: config.components.postgres.importLegacyReleases };
    // Deployment sequence: Langfuse; Qdrant; TEI; LiteLLM; orchestrator (REQUIREMENTS §2).
    this.langfuse = new Langfuse(this, 'langfuse', { cluster, environment, pins, options: config.components.langfuse, postgres, dependsOn: secretsReady });
    const qdrant = config.components.qdrant;
    this.qdrant = new Qdrant(this, 'qdrant', {
      cluster,
      environment,
      pins,
      options: {
        replicas: qdrant.replicas,
        shards: qdrant.shards,
        replicationFactor: qdrant.replicationFactor,
        storageGi: qdrant.storageGi,
        expectedVectors: qdrant.expectedVectors,
        collections: qdrant.collections,
        backup: qdrant.backup,
        // rules.ts requires the dimensions for a model it does not know.
        vectorSize: embeddingDimensions(config.components.tei)!,
      },
      dependsOn: [...secretsReady, this.langfuse.release.release],
    });
    const svc = (release: string, namespace: string, port: number) => `http://${release}.${namespace}.svc.cluster.local:${port}`;
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
      options: {
        models: config.llm.models,
        fallbacks: config.llm.fallbacks,
        // TEI's OpenAI-compatible routes; LiteLLM is the only client TEI admits.
        embeddingsApiBase: `${svc(TEI_RELEASE, NS.embeddings, PORTS.teiHttp)}/v1`,
        postgres,
      },
      dependsOn: [...secretsReady, this.tei.release.release],
    });
    const orchestrator = config.components.orchestrator;
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
          embeddingsUrl: svc(LITELLM_RELEASE, NS.llmGateway, PORTS.litellm),
          litellmUrl: svc(LITELLM_RELEASE, NS.llmGateway, PORTS.litellm),
          langfuseHost: svc(`${LANGFUSE_RELEASE}-web`, NS.observability, PORTS.langfuseWeb),
        },
        embeddingsModel: EMBEDDINGS_MODEL,
        tenantData: { namespacePrefix: tenantNamespaceName(''), scopeConfigMap: TENANT_SCOPE_CONFIG_MAP, credentialsSecretName: TENANT_CREDENTIALS_SECRET },
      },
      dependsOn: [...secretsReady, this.litellm.release.release],
    });
    // The tenants' ingestion queue (tenant stacks add their ACL users); not on the request path, so it is
    // outside the REQUIREMENTS §2 sequence and only waits for the secret store.
    this.ingestionQueue = new IngestionQueue(this, 'ingestion-queue', { cluster, environment, pins, dependsOn: secretsReady });
  }
}
