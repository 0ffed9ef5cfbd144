import * as path from 'path';
import { Construct } from 'constructs';
import { AssetType, ITerraformDependable, TerraformAsset } from 'cdktf';
import { Release } from '@cdktf/provider-helm/lib/release';
import { ClusterInfo } from '../cluster/cluster-info';
import { ChartPin, ImagePin, LOCAL_CHARTS } from '../versions';
import { renderValues, Values } from './values';

export type LocalChartKey = keyof typeof LOCAL_CHARTS;

/** The repository root (lib/kubernetes -> ../..; dist/lib/kubernetes -> ../../..). */
function repositoryRoot(): string {
  const up2 = path.resolve(__dirname, '..', '..');
  return path.basename(up2) === 'dist' ? path.dirname(up2) : up2;
}

/** Where a chart comes from: the in-region OCI mirror (third-party charts) or our own charts/ directory. */
export type ChartSource = { readonly kind: 'mirror'; readonly pin: ChartPin } | { readonly kind: 'local'; readonly chart: LocalChartKey };

export interface ChartReleaseProps {
  readonly cluster: ClusterInfo;
  /** Helm release name (also the prefix of the chart's resource names: other components use it in DNS names). */
  readonly name: string;
  readonly namespace: string;
  readonly source: ChartSource;
  readonly values: Values;
  /** Releases and resources that must exist first: the deployment sequence. */
  readonly dependsOn?: ITerraformDependable[];
  /** Seconds helm waits for the release to become ready. */
  readonly timeout?: number;
}

/**
 * A helm_release pinned to one chart version, pulled from the in-region chart mirror
 * (`repository = <chartMirror>`, `chart = <name>`) or from a local chart copied into the synthesized
 * output. Namespaces are created by the addons stack (with Pod Security labels), never by helm.
 */
export class ChartRelease extends Construct {
  readonly release: Release;

  constructor(scope: Construct, id: string, props: ChartReleaseProps) {
    super(scope, id);
    const { chart, repository, version } = this.chartReference(props);
    this.release = new Release(this, 'release', {
      name: props.name,
      namespace: props.namespace,
      createNamespace: false,
      repository,
      chart,
      version,
      values: [renderValues(props.values)],
      // Roll back a failed upgrade instead of leaving a half-applied release; wait for readiness so the
      // next release in the sequence starts against a working dependency.
      atomic: true,
      cleanupOnFail: true,
      wait: true,
      waitForJobs: true,
      timeout: props.timeout ?? 600,
      maxHistory: 10,
      dependsOn: props.dependsOn,
    });
  }

  private chartReference(props: ChartReleaseProps): { chart: string; repository?: string; version: string } {
    if (props.source.kind === 'mirror') {
      return { repository: props.cluster.chartMirror, chart: props.source.pin.chart, version: props.source.pin.version };
    }
    const local = LOCAL_CHARTS[props.source.chart];
    // terraform runs in cdktf.out/stacks/<stack>/: a path relative to the repository would break there. The
    // asset copies the chart next to the stack's JSON (content-hashed, so the output is deterministic).
    const asset = new TerraformAsset(this, 'chart', { path: path.join(repositoryRoot(), local.directory), type: AssetType.DIRECTORY });
    // Helm ignores the version for a path but the provider records it; it equals Chart.yaml (tested).
    return { chart: asset.path, version: local.version };
  }
}

/** `<imageMirror>/<upstream repository>`: the repository part of a mirrored image. */
export function mirroredRepository(cluster: ClusterInfo, image: ImagePin): string {
  return `${cluster.imageMirror}/${image.repository}`;
}

/** The full mirrored reference `<imageMirror>/<repository>:<tag>`. */
export function mirroredImage(cluster: ClusterInfo, image: ImagePin): string {
  return `${mirroredRepository(cluster, image)}:${image.tag}`;
}
