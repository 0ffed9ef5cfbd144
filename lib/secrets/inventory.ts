import { IConstruct } from 'constructs';
import { App } from 'cdktf';
import { ExternalSecret, secretPath } from '../kubernetes/external-secret';
import { CatalogEntry } from '../kubernetes/secret-catalog';
import { SecretStoreInfo } from '../cluster/cluster-info';

/** One secret-store entry the environment reads, where it comes from, and who reads it. */
export interface SecretInventoryEntry extends CatalogEntry {
  /** The entry's name in the secret store (`rag/<env>/<component>/<key>` or `rag-<env>-...`). */
  readonly path: string;
  /** `<namespace>/<Secret name>` of every ExternalSecret that reads it, sorted. */
  readonly readBy: readonly string[];
}

/**
 * Every catalog entry the synthesized environment reads through an ExternalSecret construct, once, in path
 * order. Built from the construct tree (not the JSON), so it sees exactly what the stacks were built from.
 */
export function secretInventory(app: App, store: SecretStoreInfo, environment: string): SecretInventoryEntry[] {
  const byPath = new Map<string, { entry: CatalogEntry; readBy: Set<string> }>();
  for (const construct of app.node.findAll() as IConstruct[]) {
    if (!(construct instanceof ExternalSecret)) continue;
    for (const entry of construct.reads) {
      const path = secretPath(store, environment, entry.component, entry.key);
      const known = byPath.get(path) ?? { entry, readBy: new Set<string>() };
      known.readBy.add(`${construct.namespace}/${construct.secretName}`);
      byPath.set(path, known);
    }
  }
  return [...byPath.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([path, { entry, readBy }]) => ({ ...entry, path, readBy: [...readBy].sort() }));
}
