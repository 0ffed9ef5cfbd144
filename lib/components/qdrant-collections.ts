import { createHash } from 'crypto';
import { Construct } from 'constructs';
import { ITerraformDependable } from 'cdktf';
import { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1';
import { JobV1 } from '../kubernetes/resources';
import { NS } from '../kubernetes/namespaces';
import { PODS } from '../kubernetes/network-policies';
import { pythonSpecJobPod } from '../tenancy/python-spec-job';
import { QDRANT_COLLECTIONS_SCRIPT } from './qdrant-collections-script';

export interface QdrantCollection {
  readonly name: string;
  readonly distance: 'Cosine' | 'Dot' | 'Euclid' | 'Manhattan';
}

export interface QdrantCollectionsProps {
  readonly collections: readonly QdrantCollection[];
  /** The embedding model's output size. */
  readonly vectorSize: number;
  readonly shards: number;
  readonly replicationFactor: number;
  readonly writeConsistencyFactor: number;
  /** int8 scalar quantization in RAM, originals on disk (above the vector-count threshold). */
  readonly quantize: boolean;
  /** `<mirror>/<python image>:<tag>` (standard library only). */
  readonly image: string;
  readonly apiKeySecret: { readonly name: string; readonly key: string };
  readonly qdrantUrl: string;
  readonly dependsOn?: ITerraformDependable[];
}

/** The payload field every point carries and every query filters on (docs/tenancy.md). */
export const TENANT_PAYLOAD_FIELD = 'tenant_id';

/** What Qdrant's create-collection API gets for one collection (PUT /collections/<name>). */
export function collectionCreateBody(props: Omit<QdrantCollectionsProps, 'collections' | 'image' | 'apiKeySecret' | 'qdrantUrl' | 'dependsOn'>, collection: QdrantCollection): Record<string, unknown> {
  return {
    vectors: { size: props.vectorSize, distance: collection.distance, on_disk: props.quantize },
    shard_number: props.shards,
    replication_factor: props.replicationFactor,
    write_consistency_factor: props.writeConsistencyFactor,
    ...(props.quantize ? { quantization_config: { scalar: { type: 'int8', always_ram: true } } } : {}),
  };
}

/**
 * The collections as configuration: an idempotent Job (named by a hash of spec and script, so a changed
 * spec runs again and an unchanged one never does) creates them with the shard count, replication and
 * write consistency from the environment file, the vector size of the embedding model, int8 quantization
 * above the threshold, and the `tenant_id` tenant index. Qdrant has no server-side default for shards,
 * so this is the only place they are set; Terraform waits for the Job.
 */
export class QdrantCollections extends Construct {
  readonly spec: Record<string, unknown>;
  readonly job: JobV1;

  constructor(scope: Construct, id: string, props: QdrantCollectionsProps) {
    super(scope, id);
    const namespace = NS.vectordb;
    const labels = { ...PODS.qdrantCollections.pods };
    this.spec = {
      collections: props.collections.map((collection) => ({ name: collection.name, create: collectionCreateBody(props, collection) })),
      tenantIndex: { field_name: TENANT_PAYLOAD_FIELD, field_schema: { type: 'keyword', is_tenant: true } },
    };
    const specJson = JSON.stringify(this.spec, null, 2);
    const configMap = new ConfigMapV1(this, 'spec', {
      metadata: { name: 'qdrant-collections', namespace, labels },
      data: { 'collections.json': specJson, 'collections.py': QDRANT_COLLECTIONS_SCRIPT },
      dependsOn: props.dependsOn,
    });
    const revision = createHash('sha256').update(specJson).update(QDRANT_COLLECTIONS_SCRIPT).digest('hex').slice(0, 8);
    this.job = new JobV1(this, 'job', {
      metadata: { name: `qdrant-collections-${revision}`, namespace, labels },
      spec: {
        backoffLimit: 6,
        activeDeadlineSeconds: 1800,
        template: pythonSpecJobPod({
          labels,
          containerName: 'collections',
          image: props.image,
          configMapName: configMap.metadata.name,
          script: 'collections.py',
          spec: 'collections.json',
          env: [
            { name: 'QDRANT_URL', value: props.qdrantUrl },
            { name: 'QDRANT_API_KEY', valueFrom: { secretKeyRef: { name: props.apiKeySecret.name, key: props.apiKeySecret.key } } },
          ],
        }),
      },
      waitForCompletion: true,
      timeouts: { create: '30m', update: '30m' },
      dependsOn: [configMap, ...(props.dependsOn ?? [])],
    });
  }
}
