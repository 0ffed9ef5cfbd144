import { join } from 'path';
import { loadEnvironment } from '../../lib/config/load';
import { REPO_ROOT, resourcesOf, synthEnvironment, synthExample } from '../helpers';
import fixture from '../fixtures/cnpg-crd-paths.json';

/**
 * Every CloudNativePG Cluster / ScheduledBackup and Barman Cloud ObjectStore we synthesize, checked against
 * the pinned CRDs' schemas (kept as test/fixtures/cnpg-crd-paths.json): a misspelt key (`isWalArchiver`,
 * `inheritFromIamRole`) is pruned or refused by the API server, and the plugin then silently never archives.
 * The fixture lists, for each path we use, the keys the CRD allows there or the leaf's type/enum/pattern; a
 * path missing from it is a new field, to be checked against the CRD and added.
 */

interface PathRule {
  readonly keys?: readonly string[];
  readonly freeForm?: boolean;
  readonly type?: string;
  readonly enum?: readonly string[];
  readonly pattern?: string;
}
const PATHS: Record<string, PathRule> = fixture.paths;
const CNPG_GROUPS = /^(postgresql|barmancloud)\.cnpg\.io\/v1$/;

/** The problems of one value at one path, against the fixture (empty when it conforms). */
function check(kind: string, path: string, value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap((item) => check(kind, `${path}[]`, item));
  const rule = PATHS[`${kind}:${path}`];
  if (!rule) return [`${kind} ${path}: not in the fixture (check the CRD and add it)`];
  if (value !== null && typeof value === 'object') {
    if (rule.freeForm) return Object.values(value).every((v) => typeof v === 'string') ? [] : [`${kind} ${path}: values must be strings`];
    if (!rule.keys) return [`${kind} ${path}: an object where the CRD has a ${rule.type}`];
    return Object.entries(value).flatMap(([key, child]) =>
      rule.keys!.includes(key) ? check(kind, `${path}.${key}`, child) : [`${kind} ${path}: unknown key ${key} (allowed: ${rule.keys!.join(', ')})`],
    );
  }
  const problems: string[] = [];
  const jsonType = Number.isInteger(value) ? 'integer' : typeof value;
  if (rule.type && rule.type !== jsonType) problems.push(`${kind} ${path}: ${jsonType} where the CRD has ${rule.type}`);
  if (rule.enum && !rule.enum.includes(value as string)) problems.push(`${kind} ${path}: ${String(value)} not one of ${rule.enum.join(', ')}`);
  if (rule.pattern && !new RegExp(rule.pattern).test(String(value))) problems.push(`${kind} ${path}: ${String(value)} does not match ${rule.pattern}`);
  return problems;
}

const cnpgManifests = (stacks: Record<string, any>) =>
  Object.values(stacks)
    .flatMap((s) => resourcesOf(s, 'kubernetes_manifest'))
    .map(([, m]) => m.manifest)
    .filter((m) => CNPG_GROUPS.test(m.apiVersion));

const example = (name: string) => join(REPO_ROOT, 'examples', `${name}.yaml`);

describe.each(['gcc-uae-aws', 'gcc-uae-azure', 'core42-uae-azure'])('%s', (name) => {
  const config = loadEnvironment(example(name));
  const modes = {
    steady: synthExample(example(name)).stacks,
    // The one-flag migration adds bootstrap.initdb.import and externalClusters.
    migrating: synthEnvironment({ ...config, components: { ...config.components, postgres: { ...config.components.postgres, importLegacyReleases: true } } }).stacks,
  };

  test.each(Object.keys(modes))('%s: every Cluster, ScheduledBackup and ObjectStore spec conforms to the pinned CRDs', (mode) => {
    const manifests = cnpgManifests(modes[mode as keyof typeof modes]);
    expect(manifests.map((m) => m.kind).sort()).toEqual(['Cluster', 'Cluster', 'ObjectStore', 'ObjectStore', 'ScheduledBackup', 'ScheduledBackup']);
    expect(manifests.flatMap((m) => check(m.kind, 'spec', m.spec))).toEqual([]);
  });
});

test('the check refuses what the API server would drop or reject', () => {
  expect(check('Cluster', 'spec', { plugins: [{ name: 'barman-cloud.cloudnative-pg.io', isWalArchiver: true }] })).toEqual([
    expect.stringContaining('unknown key isWalArchiver'),
  ]);
  expect(check('ObjectStore', 'spec', { retentionPolicy: '30 days' })).toEqual([expect.stringContaining('does not match')]);
  expect(check('ScheduledBackup', 'spec', { method: 'barman' })).toEqual([expect.stringContaining('not one of')]);
  expect(check('Cluster', 'spec', { instances: '3' })).toEqual([expect.stringContaining('string where the CRD has integer')]);
});
