import { Construct } from 'constructs';
import { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1';
import { tenantLabels } from './labels';

export interface TenantScopeProps {
  readonly tenantId: string;
  readonly namespace: string;
  readonly tier: string;
  readonly dataClassification: string;
  readonly allowedModels: readonly string[];
  readonly embeddingsMonthlyTokenCap: number;
  readonly qdrantCollections: readonly string[];
}

/** The ConfigMap's name; the orchestrator may read it (TenantCredentials' Role). */
export const TENANT_SCOPE_CONFIG_MAP = 'tenant-scope';

/**
 * The tenant's non-secret scope, in one place the orchestrator and the ingestion workers read: which
 * collections it uses, the payload filter every Qdrant read and write must carry (Qdrant >= 1.16 can no
 * longer put that filter into a credential, see docs/tenancy.md), its models and its embedding token cap.
 */
export class TenantScope extends Construct {
  readonly configMap: ConfigMapV1;

  constructor(scope: Construct, id: string, props: TenantScopeProps) {
    super(scope, id);
    const qdrantFilter = { must: [{ key: 'tenant_id', match: { value: props.tenantId } }] };
    this.configMap = new ConfigMapV1(this, 'config-map', {
      metadata: { name: TENANT_SCOPE_CONFIG_MAP, namespace: props.namespace, labels: tenantLabels(props.tenantId, 'scope') },
      data: {
        TENANT_ID: props.tenantId,
        TENANT_TIER: props.tier,
        DATA_CLASSIFICATION: props.dataClassification,
        ALLOWED_MODELS: props.allowedModels.join(','),
        EMBEDDINGS_MONTHLY_TOKEN_CAP: String(props.embeddingsMonthlyTokenCap),
        QDRANT_COLLECTIONS: props.qdrantCollections.join(','),
        QDRANT_TENANT_FILTER: JSON.stringify(qdrantFilter),
      },
    });
  }
}
