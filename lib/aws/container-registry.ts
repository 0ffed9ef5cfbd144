import { Construct } from 'constructs';
import { EcrRepository } from '@cdktf/provider-aws/lib/ecr-repository';
import { componentTags } from '../tags';

export interface PrivateRepositoryProps {
  readonly name: string;
  readonly kmsKeyArn: string;
}

/**
 * An ECR repository for our own images: CMK-encrypted, immutable tags (a tag always means the same
 * image, which pinning relies on) and a vulnerability scan on every push. No replication is configured:
 * ECR replication is registry-wide and would copy images out of the region.
 */
export class PrivateRepository extends Construct {
  readonly repository: EcrRepository;

  constructor(scope: Construct, id: string, props: PrivateRepositoryProps) {
    super(scope, id);
    this.repository = new EcrRepository(this, 'repository', {
      name: props.name,
      imageTagMutability: 'IMMUTABLE',
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: [{ encryptionType: 'KMS', kmsKey: props.kmsKeyArn }],
      forceDelete: false,
      tags: componentTags('registry', props.name),
    });
  }
}
