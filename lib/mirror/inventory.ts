import { EnvironmentConfig } from '../config/schema';
import { resolvePins } from '../kubernetes/pins';
import { teiImageTag } from '../components/tei';
import { ModelArtifact, teiModelArtifacts } from '../components/tei-model';

/** One image the environment pulls: where it is copied from and where pods pull it. */
export interface MirroredImage {
  /** The key in lib/versions.ts IMAGES, or `orchestrator` (components.orchestrator, our own build). */
  readonly key: string;
  /** Upstream registry host (`docker.io`, `ghcr.io`, ...); undefined for our own image, pushed by its build. */
  readonly upstreamRegistry?: string;
  readonly repository: string;
  readonly tag: string;
  /** `<registry.imageMirror>/<repository>:<tag>`. */
  readonly destination: string;
}

/** One third-party chart the environment installs. Our own charts (charts/) are not mirrored. */
export interface MirroredChart {
  readonly key: string;
  /** Upstream Helm repository URL or OCI prefix. */
  readonly upstream: string;
  readonly chart: string;
  readonly version: string;
  /** `<registry.chartMirror>/<chart>:<version>` (an OCI reference). */
  readonly destination: string;
}

export interface MirrorInventory {
  readonly imageMirror: string;
  readonly chartMirror: string;
  readonly images: readonly MirroredImage[];
  readonly charts: readonly MirroredChart[];
  /** Model files staged into the platform's object storage (TEI reads no model from the internet). */
  readonly models: readonly ModelArtifact[];
}

const byKey = <T extends { key: string }>(a: T, b: T) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/**
 * Every image and chart an environment's releases may pull, with the environment's version overrides
 * applied: the pins of lib/versions.ts (a superset: add-ons a cloud does not install, e.g. EKS's
 * controllers on AKS, are listed too) plus the orchestrator image. Sorted by key, so the output is stable.
 */
export function mirrorInventory(config: EnvironmentConfig): MirrorInventory {
  const { imageMirror, chartMirror } = config.registry;
  const pins = resolvePins(config.versions);
  const orchestrator = config.components.orchestrator;
  const images: MirroredImage[] = [
    ...Object.entries(pins.images).map(([key, pin]) => {
      // TEI is pulled as the build for the GPU pool's family (lib/components/tei.ts).
      const tag = key === 'tei' ? teiImageTag(config.nodePools.gpu.family, pin.tag) : pin.tag;
      return { key, upstreamRegistry: pin.registry, repository: pin.repository, tag, destination: `${imageMirror}/${pin.repository}:${tag}` };
    }),
    { key: 'orchestrator', repository: orchestrator.repository, tag: orchestrator.tag, destination: `${imageMirror}/${orchestrator.repository}:${orchestrator.tag}` },
  ];
  const charts: MirroredChart[] = Object.entries(pins.charts).map(([key, pin]) => ({
    key,
    upstream: pin.upstream,
    chart: pin.chart,
    version: pin.version,
    destination: `${chartMirror}/${pin.chart}:${pin.version}`,
  }));
  return { imageMirror, chartMirror, images: images.sort(byKey), charts: charts.sort(byKey), models: teiModelArtifacts(config.components.tei) };
}

/** The repository paths inside the registry host that the inventory needs (ECR repository names). */
export function mirrorRepositoryNames(inventory: MirrorInventory): string[] {
  const path = (reference: string) => reference.replace(/^oci:\/\//, '').split('/').slice(1).join('/').replace(/:[^:/]+$/, '');
  const names = [...inventory.images, ...inventory.charts].map((item) => path(item.destination));
  return [...new Set(names)].sort();
}
