import { parse } from 'yaml';
import { BackupEvidence, DataStore } from './data-stores';
import { describeKey, KeyEvidence } from './keys';
import { scheduledBackups } from './scheduled-backups';
import { addressOf, first, Json, Resource, StackSet } from './stacks';

/**
 * In-cluster volumes: every persistent volume a Helm release's values or a manifest asks for, found by
 * walking the values for a storage class (or a size under a persistence block), with the key of the
 * StorageClass it binds to, followed across stacks to the KMS key / disk encryption set.
 */

interface StorageClassEvidence {
  readonly name: string;
  readonly isDefault: boolean;
  readonly key: KeyEvidence;
  readonly stack: string;
  readonly address: string;
}

const STORAGE_CLASS_KEYS = ['storageClassName', 'storageClass', 'className', 'storage_class_name'];
const SIZE_KEYS = ['size', 'requestedSize', 'storage'];
const PERSISTENCE_PATH = /persist|storage|volume|data/i;

/** What kind of store a volume backs, named from the release, chart or values path. */
const STORE_NAMES: ReadonlyArray<[RegExp, string]> = [
  [/qdrant/i, 'Qdrant'],
  [/clickhouse/i, 'ClickHouse'],
  [/postgres|cnpg|postgresql/i, 'Postgres'],
  [/valkey|redis/i, 'Valkey'],
  [/prometheus/i, 'Prometheus'],
  [/alertmanager/i, 'Alertmanager'],
  [/grafana/i, 'Grafana'],
];

function storageClasses(set: StackSet): StorageClassEvidence[] {
  return [...set.resources('kubernetes_storage_class_v1'), ...set.resources('kubernetes_storage_class')].map((sc) => {
    const metadata = first(sc.body.metadata) ?? {};
    const parameters: Json = sc.body.parameters ?? {};
    const keyValue = parameters.kmsKeyId ?? parameters.diskEncryptionSetID ?? parameters['csi.storage.k8s.io/kms-key-id'];
    const encrypted = parameters.encrypted === 'true' || parameters.diskEncryptionType !== undefined || keyValue !== undefined;
    return {
      name: metadata.name,
      isDefault: metadata.annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true',
      key: keyValue !== undefined ? describeKey(set, sc.stack, keyValue) : encrypted ? { kind: 'provider-managed', note: 'encrypted with the cloud default key' } : { kind: 'provider-managed', note: 'provisioner default' },
      stack: sc.stack,
      address: addressOf(sc),
    };
  });
}

function storeName(...hints: string[]): string {
  return STORE_NAMES.find(([pattern]) => hints.some((hint) => pattern.test(hint)))?.[1] ?? 'persistent';
}

export interface FoundVolume {
  readonly path: string;
  readonly storageClass?: string;
  readonly size?: string;
}

/** Walks a values/manifest tree for volume requests: a storage class key, or a size under a persistence-like path. */
export function findVolumes(node: unknown, path: string[] = []): FoundVolume[] {
  if (Array.isArray(node)) return node.flatMap((item, index) => findVolumes(item, [...path, String(index)]));
  if (typeof node !== 'object' || node === null) return [];
  const object = node as Json;
  // `className` is also the ingress class key of many charts: it names a storage class only below a
  // persistence-like path (`storage.className`), never e.g. `ingress.className`.
  const classKey = STORAGE_CLASS_KEYS.find((key) => typeof object[key] === 'string' && (key !== 'className' || PERSISTENCE_PATH.test(path.join('.'))));
  const sizeKey = SIZE_KEYS.find((key) => typeof object[key] === 'string' && /^\d+(\.\d+)?(Ki|Mi|Gi|Ti)$/.test(object[key]));
  const requested = object.resources?.requests?.storage;
  const here: FoundVolume[] =
    (classKey || (sizeKey && PERSISTENCE_PATH.test(path.join('.')))) && object.enabled !== false
      ? [{ path: path.join('.'), storageClass: classKey ? object[classKey] : undefined, size: sizeKey ? object[sizeKey] : typeof requested === 'string' ? requested : undefined }]
      : [];
  // The size of a volumeClaimTemplate sits next to its storage class; do not report the inner spec twice.
  const children = Object.entries(object).filter(([key]) => !(here.length > 0 && (key === 'resources' || STORAGE_CLASS_KEYS.includes(key))));
  const nested = children.flatMap(([key, value]) => findVolumes(value, [...path, key]));
  // Below a volume only another storage class is a further volume (a bare size there is this one's).
  return here.length > 0 ? [...here, ...nested.filter((volume) => volume.storageClass !== undefined)] : nested;
}

/** The Barman Cloud plugin's name in a Cluster's `spec.plugins`. */
const BARMAN_CLOUD_PLUGIN = 'barman-cloud.cloudnative-pg.io';

/**
 * Where a CloudNativePG cluster's backups go and for how long: the in-tree `spec.backup.barmanObjectStore`, or
 * the Barman Cloud plugin's ObjectStore named by the WAL-archiver plugin entry (barman writes below
 * `<destinationPath>/<serverName>/`, serverName defaulting to the Cluster's name). Null without either.
 */
function cnpgDestination(set: StackSet, manifest: Json): { destination: string; retention?: string } | null {
  const inTree = manifest.spec?.backup?.barmanObjectStore;
  if (inTree) return { destination: inTree.destinationPath, retention: manifest.spec.backup.retentionPolicy };
  const plugin = ((manifest.spec?.plugins ?? []) as Json[]).find((entry) => entry.name === BARMAN_CLOUD_PLUGIN && entry.isWALArchiver !== false);
  const storeName = plugin?.parameters?.barmanObjectName;
  if (!storeName) return null;
  const store = set
    .resources('kubernetes_manifest')
    .map((resource) => resource.body.manifest as Json)
    .find((candidate) => candidate?.kind === 'ObjectStore' && candidate.metadata?.name === storeName && candidate.metadata?.namespace === manifest.metadata?.namespace);
  if (!store) return { destination: `ObjectStore ${storeName} (not synthesized here)` };
  const serverName = plugin.parameters.serverName ?? manifest.metadata?.name;
  return { destination: `${store.spec.configuration.destinationPath}/${serverName}/`, retention: store.spec.retentionPolicy };
}

/** Backup of a CloudNativePG cluster: its object store and the ScheduledBackups that target it. */
function cnpgBackup(set: StackSet, cluster: Resource, region: string | null): BackupEvidence | null {
  const manifest = cluster.body.manifest as Json;
  const target = cnpgDestination(set, manifest);
  if (!target) return null;
  const schedules = set
    .resources('kubernetes_manifest')
    .map((resource) => resource.body.manifest as Json)
    .filter((candidate) => candidate?.kind === 'ScheduledBackup' && candidate.spec?.cluster?.name === manifest.metadata?.name)
    .map((candidate) => candidate.spec.schedule);
  return {
    destination: target.destination,
    region,
    schedule: schedules.length > 0 ? schedules.join(', ') : 'continuous WAL archiving; no ScheduledBackup',
    retention: target.retention ?? 'not set',
  };
}

/**
 * One helm_release values document. The library renders values as JSON (lib/kubernetes/values.ts), which
 * JSON.parse reads about twenty times faster than the YAML parser (the YAML parser was most of the
 * evidence pack's CPU); values written as YAML elsewhere still parse.
 */
function parseValues(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return parse(text) as unknown;
  }
}

export function inClusterVolumes(set: StackSet): DataStore[] {
  const classes = storageClasses(set);
  const defaultClass = classes.find((sc) => sc.isDefault);
  const region = set.clusterRegion() ?? null;
  const store = (resource: Resource, what: string, found: FoundVolume, namespace: string | undefined, backup: BackupEvidence | null): DataStore => {
    const sc = classes.find((candidate) => candidate.name === found.storageClass) ?? (found.storageClass === undefined ? defaultClass : undefined);
    return {
      stack: resource.stack,
      address: `${addressOf(resource)}#${found.path}`,
      type: 'persistent-volume',
      holds: `${what} volume${found.size ? ` (${found.size} per replica)` : ''}`,
      region,
      key: sc ? { ...sc.key, note: `via StorageClass ${sc.name} (${sc.stack}/${sc.address})${sc.key.note ? `; ${sc.key.note}` : ''}` } : { kind: 'unresolved', note: `StorageClass ${found.storageClass ?? '(default)'} is not synthesized here` },
      reachability: `in-cluster only${namespace ? ` (namespace ${namespace})` : ''}`,
      backup,
    };
  };
  const backups = scheduledBackups(set);
  const fromReleases = set.resources('helm_release').flatMap((release) => {
    const values = ((release.body.values ?? []) as string[]).map(parseValues);
    // A backup of one store of a release (`<release>#<values path>`) before one of the whole release.
    const backupOf = (found: FoundVolume) => backups.get(`${release.body.namespace}/${release.body.name}#${found.path}`) ?? backups.get(`${release.body.namespace}/${release.body.name}`) ?? null;
    return values.flatMap((tree) => findVolumes(tree)).map((found) => store(release, storeName(found.path, release.body.name, release.body.chart), found, release.body.namespace, backupOf(found)));
  });
  const fromManifests = set.resources('kubernetes_manifest').flatMap((resource) => {
    const manifest = resource.body.manifest as Json;
    const isCnpg = manifest?.kind === 'Cluster' && String(manifest.apiVersion).startsWith('postgresql.cnpg.io/');
    return findVolumes(manifest?.spec, ['spec']).map((found) =>
      store(resource, storeName(manifest.kind, manifest.apiVersion, manifest.metadata?.name ?? ''), found, manifest.metadata?.namespace, isCnpg ? cnpgBackup(set, resource, region) : null),
    );
  });
  const fromClaims = [...set.resources('kubernetes_persistent_volume_claim_v1'), ...set.resources('kubernetes_persistent_volume_claim')].map((claim) => {
    const spec = first(claim.body.spec) ?? {};
    const metadata = first(claim.body.metadata) ?? {};
    return store(claim, storeName(metadata.name ?? ''), { path: 'spec', storageClass: spec.storage_class_name, size: first(first(spec.resources)?.requests)?.storage }, metadata.namespace, null);
  });
  return [...fromReleases, ...fromManifests, ...fromClaims];
}
