import { Construct } from 'constructs';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { ClusterInfo } from '../cluster/cluster-info';

/**
 * The kubernetes and helm providers for a stack that deploys into the cluster, configured from
 * ClusterInfo only. Authentication is the exec plugin (`aws eks get-token` / `kubelogin`): no token or
 * client key is ever written into the synthesized JSON or the state.
 */
export function addKubernetesProviders(scope: Construct, cluster: ClusterInfo, installsCharts: boolean): { kubernetes: KubernetesProvider; helm: HelmProvider } {
  const { host, clusterCaCertificate, exec } = cluster.access;
  const kubernetes = new KubernetesProvider(scope, 'kubernetes', {
    host,
    clusterCaCertificate,
    exec: [{ apiVersion: exec.apiVersion, command: exec.command, args: exec.args }],
  });
  const login = installsCharts ? cluster.chartMirrorLogin(scope) : undefined;
  const helm = new HelmProvider(scope, 'helm', {
    kubernetes: { host, clusterCaCertificate, exec: { apiVersion: exec.apiVersion, command: exec.command, args: exec.args } },
    // Charts come from the private OCI mirror: without a login every release fails to pull its chart.
    registries: login === undefined ? undefined : [{ url: login.url, username: login.username, password: login.password }],
  });
  return { kubernetes, helm };
}
