import { Construct } from 'constructs';
import { JobV1 } from '../kubernetes/resources';
import { tenantLabels } from './labels';
import { EMBEDDINGS_MODEL, embeddingsBudgetUsd } from './platform-contract';
import { StoreAccess } from './controller-store';
import { BUDGET_DURATION } from './litellm-key';
import { PROVISIONER_COMPONENTS } from '../kubernetes/shared-labels';
import { provisionLitellmKey } from './litellm-key-provisioning';

export interface TenantEmbeddingsKeyProps {
  readonly tenantId: string;
  readonly environment: string;
  /** `tenants[].embeddings.monthlyTokenCap`. */
  readonly monthlyTokenCap: number;
  /** Secret-store path of the key (under the tenant's prefix). */
  readonly remoteKey: string;
  readonly pushMetadata?: Readonly<Record<string, unknown>>;
  readonly store: StoreAccess;
  readonly image: string;
}

/** The key alias of a tenant's embeddings key (the offboarding Job deletes it by alias). */
export function embeddingsKeyAlias(tenantId: string): string {
  return `${tenantId}-embeddings`;
}

/**
 * The tenant's second LiteLLM key, for embeddings only: `models: [EMBEDDINGS_MODEL]` (TEI as LiteLLM
 * serves it), `max_budget` = the monthly token cap at the internal embeddings price, `budget_duration: 30d`.
 * It has no team: a team's budget and model list would be the LLM key's (the team's `max_budget` is the
 * tenant's LLM budget), so the cap is the key's own. TEI admits only LiteLLM, so this key is the only way
 * the tenant's workers and the orchestrator (on the tenant's behalf) get embeddings, and LiteLLM refuses
 * them once the month's tokens are spent. Provisioned like the LLM key (provisionLitellmKey), with the
 * same pod labels, so the LLM key's egress policy and the platform's admit its Job.
 */
export class TenantEmbeddingsKey extends Construct {
  readonly spec: Record<string, unknown>;
  readonly job: JobV1;

  constructor(scope: Construct, id: string, props: TenantEmbeddingsKeyProps) {
    super(scope, id);
    this.spec = {
      key: {
        key_alias: embeddingsKeyAlias(props.tenantId),
        models: [EMBEDDINGS_MODEL],
        max_budget: embeddingsBudgetUsd(props.monthlyTokenCap),
        budget_duration: BUDGET_DURATION,
        metadata: { tenant_id: props.tenantId, environment: props.environment, purpose: 'embeddings' },
      },
    };
    this.job = provisionLitellmKey(this, {
      tenantId: props.tenantId,
      secretSuffix: 'embeddings-key',
      specSuffix: 'embeddings',
      spec: this.spec,
      labels: tenantLabels(props.tenantId, PROVISIONER_COMPONENTS.litellm),
      remoteKey: props.remoteKey,
      pushMetadata: props.pushMetadata,
      store: props.store,
      image: props.image,
    }).job;
  }
}
