import { Construct } from 'constructs';
import { PreparedStack } from './prepared-stack';
import { EnvironmentConfig } from '../lib/config/schema';
import { ClusterInfo } from '../lib/cluster/cluster-info';
import { TERRAFORM_REQUIRED_VERSION } from '../lib/versions';
import { addKubernetesProviders } from '../lib/kubernetes/providers';
import { configureBackend } from './backend';

/**
 * A stack that deploys into the cluster (addons, workloads, tenants): its own state, the Terraform version,
 * the cloud provider (for workload identities) and the kubernetes and helm providers, all from ClusterInfo.
 */
export abstract class ClusterStack extends PreparedStack {
  /** `installsCharts`: the stack has helm releases from the chart mirror, so the helm provider logs in to it. */
  protected constructor(scope: Construct, name: string, config: EnvironmentConfig, cluster: ClusterInfo, installsCharts: boolean) {
    super(scope, name);
    configureBackend(this, config, name);
    this.addOverride('terraform.required_version', TERRAFORM_REQUIRED_VERSION);
    cluster.addCloudProvider(this);
    addKubernetesProviders(this, cluster, installsCharts);
  }
}
