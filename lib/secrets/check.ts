import { CommandRunner } from '../rollout/state-inventory';
import { SecretInventoryEntry } from './inventory';

/** Where the platform's secret store is, as the cloud CLIs address it. */
export type SecretStoreLocation = { readonly cloud: 'aws'; readonly region: string } | { readonly cloud: 'azure'; readonly vaultName: string; readonly subscriptionId: string };

/** Result of checking the external entries: which exist, which are missing, and any the check could not see. */
export interface SecretCheck {
  readonly present: readonly SecretInventoryEntry[];
  readonly missing: readonly SecretInventoryEntry[];
  /** The check itself failed (no credentials, no network path, no permission): nothing may be concluded. */
  readonly error?: string;
}

/**
 * Asks the secret store whether each external entry exists, with metadata-only calls, so no value ever
 * reaches this process: `aws secretsmanager describe-secret` per entry, `az keyvault secret list` (names
 * only) once on Azure. A call that fails for another reason than "not found" is an error, not a "missing".
 */
export async function checkExternalSecrets(entries: readonly SecretInventoryEntry[], location: SecretStoreLocation, run: CommandRunner): Promise<SecretCheck> {
  const external = entries.filter((entry) => entry.source.source === 'external');
  const present: SecretInventoryEntry[] = [];
  const missing: SecretInventoryEntry[] = [];
  if (location.cloud === 'aws') {
    for (const entry of external) {
      const result = await run('aws', ['secretsmanager', 'describe-secret', '--secret-id', entry.path, '--region', location.region, '--query', 'Name', '--output', 'text']);
      if (result.exitCode === 0) present.push(entry);
      else if (/ResourceNotFoundException/.test(result.stderr)) missing.push(entry);
      else return { present, missing, error: `aws secretsmanager describe-secret ${entry.path}: ${firstLine(result.stderr) || `exit ${result.exitCode}`}` };
    }
    return { present, missing };
  }
  const result = await run('az', ['keyvault', 'secret', 'list', '--vault-name', location.vaultName, '--subscription', location.subscriptionId, '--query', '[].name', '--output', 'json']);
  if (result.exitCode !== 0) {
    return { present, missing, error: `az keyvault secret list --vault-name ${location.vaultName}: ${firstLine(result.stderr) || `exit ${result.exitCode}`}` };
  }
  const names = new Set(JSON.parse(result.stdout || '[]') as string[]);
  for (const entry of external) (names.has(entry.path) ? present : missing).push(entry);
  return { present, missing };
}

const firstLine = (text: string) => text.trim().split('\n')[0] ?? '';
