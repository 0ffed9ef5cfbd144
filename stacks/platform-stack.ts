import { Construct } from 'constructs';
import { PreparedStack } from './prepared-stack';
import { EnvironmentConfig } from '../lib/config/schema';
import { ClusterInfo } from '../lib/cluster/cluster-info';
import { stackName } from '../lib/naming';
import { TERRAFORM_REQUIRED_VERSION } from '../lib/versions';
import { configureBackend } from './backend';

// Each cloud's content is loaded only for an environment on that cloud: the other cloud's provider
// bindings are megabytes of JavaScript that would be compiled on every synth for nothing.
const awsPlatform = (): typeof import('./platform-aws') => require('./platform-aws');
const azurePlatform = (): typeof import('./platform-azure') => require('./platform-azure');

/**
 * `<env>-platform`: the cloud layer (network, endpoints, keys, cluster, node pools, registry, storage).
 * Exposes `clusterInfo`, the only thing the workloads and tenant stacks learn about the cluster.
 */
export class PlatformStack extends PreparedStack {
  readonly clusterInfo: ClusterInfo;

  constructor(scope: Construct, config: EnvironmentConfig) {
    const name = stackName(config.name, 'platform');
    super(scope, name);
    configureBackend(this, config, name);
    this.addOverride('terraform.required_version', TERRAFORM_REQUIRED_VERSION);
    this.clusterInfo = config.cloud === 'aws' ? awsPlatform().buildAwsPlatform(this, config) : azurePlatform().buildAzurePlatform(this, config);
  }
}
