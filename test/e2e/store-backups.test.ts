import { readdirSync } from 'fs';
import { join } from 'path';
import { parse } from 'yaml';
import { STORE_BACKUPS, storeOf, VolumeSource } from '../../lib/report/store-backups';
import { first, readSynthesizedStacks, StackSet } from '../../lib/report/stacks';
import { findVolumes } from '../../lib/report/volumes';
import { REPO_ROOT, synthExample } from '../helpers';

/**
 * Every persistent volume a synthesized example asks for has a row in STORE_BACKUPS (lib/report/store-backups.ts)
 * saying what backs it up, or why nothing needs to: the argument for running no Velero (docs/restore.md)
 * holds only while this passes. Volumes are found the way the evidence pack finds them (a storage class or a
 * size under a persistence-like values path of a Helm release, a manifest's spec, a PVC or StatefulSet
 * resource); which chart values create claims was checked by rendering the pinned charts (docs/restore.md).
 */
const EXAMPLES = readdirSync(join(REPO_ROOT, 'examples')).filter((file) => /\.ya?ml$/.test(file));

interface FoundSource {
  readonly example: string;
  readonly stack: string;
  readonly source: VolumeSource;
}

function volumeSources(example: string): FoundSource[] {
  const { outdir } = synthExample(join(REPO_ROOT, 'examples', example));
  const set = new StackSet(readSynthesizedStacks(outdir));
  const fromReleases = set.resources('helm_release').flatMap((release) =>
    ((release.body.values ?? []) as string[])
      .flatMap((text) => findVolumes(parse(text)))
      .map((found) => ({ example, stack: release.stack, source: { release: String(release.body.name), path: found.path } })),
  );
  const fromManifests = set.resources('kubernetes_manifest').flatMap((resource) => {
    const manifest = resource.body.manifest ?? {};
    return findVolumes(manifest.spec, ['spec']).map((found) => ({ example, stack: resource.stack, source: { manifest: `${manifest.apiVersion}/${manifest.kind}`, path: found.path } }));
  });
  // Typed resources: a PersistentVolumeClaim, or a workload whose pod template claims a volume.
  const fromResources = set
    .resourceTypes()
    .filter((type) => type.startsWith('kubernetes_') && type !== 'kubernetes_manifest')
    .flatMap((type) => set.resources(type))
    .filter((resource) => /^kubernetes_persistent_volume_claim(_v1)?$/.test(resource.type) || claimsVolume(resource.body))
    .map((resource) => {
      const metadata = first(resource.body.metadata) ?? {};
      return { example, stack: resource.stack, source: { claim: `${metadata.namespace ?? 'default'}/${metadata.name}` } };
    });
  return [...fromReleases, ...fromManifests, ...fromResources];
}

/** A volumeClaimTemplate (StatefulSet) or an ephemeral volume (any pod template) anywhere in a typed resource. */
function claimsVolume(node: unknown): boolean {
  if (Array.isArray(node)) return node.some(claimsVolume);
  if (typeof node !== 'object' || node === null) return false;
  return Object.entries(node).some(([key, value]) => key === 'volume_claim_template' || key === 'ephemeral' || claimsVolume(value));
}

const found = EXAMPLES.flatMap(volumeSources);

test.each(EXAMPLES)('every persistent volume of %s has a backup row', (example) => {
  const uncovered = found.filter((volume) => volume.example === example && storeOf(volume.source) === undefined);
  // A volume listed here has no row: add one to STORE_BACKUPS (lib/report/store-backups.ts) saying what backs it
  // up (or why nothing needs to), and its line to docs/restore.md ("Velero").
  expect(uncovered.map(({ stack, source }) => ({ stack, ...source }))).toEqual([]);
  expect(found.filter((volume) => volume.example === example).length).toBeGreaterThan(0);
});

test('every row covers a volume some example asks for (no stale rows)', () => {
  const stale = STORE_BACKUPS.filter((row) => !found.some((volume) => storeOf(volume.source) === row)).map((row) => row.store);
  expect(stale).toEqual([]);
});

test('rows are complete: a plan, a reason, or the job and its restore', () => {
  for (const row of STORE_BACKUPS) {
    const text = row.backup.kind === 'object-storage' ? `${row.backup.by} ${row.backup.restore}` : row.backup.kind === 'pending' ? row.backup.plan : row.backup.why;
    expect(text.length).toBeGreaterThan(20);
    expect(row.sources.length).toBeGreaterThan(0);
  }
  // One row per volume source.
  const keys = STORE_BACKUPS.flatMap((row) => row.sources.map((source) => JSON.stringify(source)));
  expect(new Set(keys).size).toBe(keys.length);
});
