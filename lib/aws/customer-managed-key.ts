import { Construct } from 'constructs';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { componentTags } from '../tags';
import { keyPolicy, KeyPolicyContext, KeyPurpose } from './key-policy';

export interface CustomerManagedKeyProps extends KeyPolicyContext {
  readonly environment: string;
  readonly purpose: KeyPurpose;
  /** Days before a scheduled deletion takes effect; 30 leaves time to notice a mistake. */
  readonly deletionWindowInDays?: number;
}

/** A single-region symmetric CMK with yearly rotation, an explicit key policy and an alias. */
export class CustomerManagedKey extends Construct {
  readonly key: KmsKey;
  readonly alias: KmsAlias;

  constructor(scope: Construct, id: string, props: CustomerManagedKeyProps) {
    super(scope, id);
    this.key = new KmsKey(this, 'key', {
      description: `${props.environment}: ${props.purpose} encryption`,
      keyUsage: 'ENCRYPT_DECRYPT',
      customerMasterKeySpec: 'SYMMETRIC_DEFAULT',
      enableKeyRotation: true,
      rotationPeriodInDays: 365,
      deletionWindowInDays: props.deletionWindowInDays ?? 30,
      // Multi-region keys replicate key material to other regions: never for a sovereign platform.
      multiRegion: false,
      policy: JSON.stringify(keyPolicy(props.purpose, props)),
      tags: componentTags(`kms-${props.purpose}`, `${props.environment}-${props.purpose}`),
    });
    this.alias = new KmsAlias(this, 'alias', {
      name: `alias/${props.environment}/${props.purpose}`,
      targetKeyId: this.key.keyId,
    });
  }

  get arn(): string {
    return this.key.arn;
  }
}
