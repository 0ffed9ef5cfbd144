import { addressOf, first, Resource, StackSet } from './stacks';

/** Which key protects a data store, resolved to the key resource wherever it is defined. */
export interface KeyEvidence {
  /**
   * `customer-managed`: a KMS key / Key Vault key we define (stack and address given);
   * `vault-hsm`: the store is the key vault itself; `provider-managed`: the cloud's own key;
   * `none`: not encrypted at rest by the platform; `unresolved`: a key is named but not found here.
   */
  readonly kind: 'customer-managed' | 'vault-hsm' | 'provider-managed' | 'none' | 'unresolved';
  readonly stack?: string;
  readonly address?: string;
  readonly type?: string;
  /** Alias or key name. */
  readonly name?: string;
  readonly region?: string;
  /** How the key rotates, in words ("every 365 days", "automatic, P1Y after creation"), or "none". */
  readonly rotation?: string;
  readonly note?: string;
}

function awsKey(set: StackSet, key: Resource): KeyEvidence {
  const alias = set.resources('aws_kms_alias').find((candidate) => {
    const target = set.resolve(candidate.stack, candidate.body.target_key_id);
    return target !== undefined && target.stack === key.stack && addressOf(target) === addressOf(key);
  });
  return {
    kind: 'customer-managed',
    stack: key.stack,
    address: addressOf(key),
    type: key.type,
    name: alias?.body.name ?? key.body.description,
    region: set.regionOf(key),
    rotation: key.body.enable_key_rotation ? `every ${key.body.rotation_period_in_days ?? 365} days` : 'none',
  };
}

function azureKey(set: StackSet, key: Resource, via?: string): KeyEvidence {
  const automatic = first(key.body.rotation_policy)?.automatic;
  const rotateAfter = first(automatic)?.time_after_creation ?? first(automatic)?.time_before_expiry;
  const vault = set.resolve(key.stack, key.body.key_vault_id);
  const vaultBody = vault ? set.get(vault)?.body : undefined;
  return {
    kind: 'customer-managed',
    stack: key.stack,
    address: addressOf(key),
    type: key.type,
    name: vaultBody ? `${vaultBody.name}/${key.body.name}` : key.body.name,
    region: vaultBody?.location,
    rotation: rotateAfter ? `automatic, ${rotateAfter} after creation${via ? `; ${via}` : ''}` : 'none',
  };
}

/**
 * The key an attribute value names: a reference (followed across stacks), a KMS alias ARN (matched to
 * the alias resource), or a disk encryption set (followed to its Key Vault key).
 */
export function describeKey(set: StackSet, stack: string, value: unknown): KeyEvidence {
  if (value === undefined || value === null || value === '') {
    return { kind: 'provider-managed', note: 'no customer-managed key configured' };
  }
  const ref = set.resolve(stack, value);
  const resource = ref ? set.get(ref) : undefined;
  if (resource?.type === 'aws_kms_key') return awsKey(set, resource);
  if (resource?.type === 'azurerm_key_vault_key') return azureKey(set, resource);
  if (resource?.type === 'azurerm_disk_encryption_set') {
    const key = set.resolve(resource.stack, resource.body.key_vault_key_id);
    const keyResource = key ? set.get(key) : undefined;
    if (keyResource) {
      return azureKey(set, keyResource, `disk encryption set ${resource.body.name} ${resource.body.auto_key_rotation_enabled ? 'follows new versions' : 'pinned to one version'}`);
    }
  }
  if (resource?.type === 'aws_kms_alias') {
    return describeKey(set, resource.stack, resource.body.target_key_id);
  }
  const aliasArn = typeof value === 'string' ? /^arn:aws[\w-]*:kms:[^:]+:\d+:(alias\/.+)$/.exec(value) : null;
  if (aliasArn) {
    const alias = set.resources('aws_kms_alias').find((candidate) => candidate.body.name === aliasArn[1]);
    if (alias) return describeKey(set, alias.stack, alias.body.target_key_id);
  }
  return { kind: 'unresolved', note: `names ${String(value)}, which no synthesized stack defines` };
}
