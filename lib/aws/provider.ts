import { Construct } from 'constructs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { environmentTags } from '../tags';

export interface SovereignAwsProviderProps {
  readonly environment: string;
  readonly region: string;
  readonly accountId: string;
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * The AWS provider pinned to the environment's region and account: applying with credentials for any
 * other account fails before a single API call changes anything. Default tags reach every resource.
 */
export function sovereignAwsProvider(scope: Construct, props: SovereignAwsProviderProps): AwsProvider {
  return new AwsProvider(scope, 'aws', {
    region: props.region,
    allowedAccountIds: [props.accountId],
    defaultTags: [{ tags: environmentTags(props.environment, props.tags) }],
  });
}
