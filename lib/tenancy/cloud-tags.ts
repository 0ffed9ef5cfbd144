import { IConstruct } from 'constructs';
import { IAspect, TerraformResource } from 'cdktf';
import { TENANT_ID_LABEL } from './labels';

/** A resource binding whose schema has `tags` (every taggable AWS and Azure resource). */
interface Taggable {
  tags?: Record<string, string>;
  readonly tagsInput?: Record<string, string>;
}

function isTaggable(node: IConstruct): node is TerraformResource & Taggable {
  return node instanceof TerraformResource && 'tagsInput' in node;
}

/**
 * Adds `tenant_id = <id>` to the tags of every cloud resource in the tenant stack, including those that
 * ClusterInfo creates for the tenant (the workload identity's role and association), whose tags the
 * tenant construct does not write itself. Cloud-neutral: it keys on the `tags` attribute, not on a provider.
 */
export class TenantCloudTags implements IAspect {
  constructor(private readonly tenantId: string) {}

  visit(node: IConstruct): void {
    if (isTaggable(node)) {
      node.tags = { ...(node.tagsInput ?? {}), [TENANT_ID_LABEL]: this.tenantId };
    }
  }
}
