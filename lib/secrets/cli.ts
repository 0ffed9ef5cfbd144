import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { buildEnvironment } from '../../apps/build';
import { withoutTokenTraces } from '../../apps/token-traces';
import { azureNames } from '../azure/names';
import { ConfigError, formatProblems } from '../config/errors';
import { loadEnvironment } from '../config/load';
import { EnvironmentConfig } from '../config/schema';
import { CommandRunner } from '../rollout/state-inventory';
import { checkExternalSecrets, SecretStoreLocation } from './check';
import { SecretInventoryEntry, secretInventory } from './inventory';

export interface SecretsIo {
  out(line: string): void;
  err(line: string): void;
}

/** 0 nothing missing; 1 the check could not look; 2 bad arguments or environment file; 4 external secrets missing. */
export const EXIT_SECRETS_MISSING = 4;

const USAGE = 'usage: npm run secrets -- [--env-file <file>] [--check] [--json]';

interface SecretsArgs {
  readonly envFile: string;
  readonly check: boolean;
  readonly json: boolean;
}

function parseArgs(argv: readonly string[], defaultEnvFile: string): SecretsArgs | string {
  let envFile = defaultEnvFile;
  let check = false;
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--check') check = true;
    else if (arg === '--json') json = true;
    else if (arg === '--env-file') {
      const value = argv[++i];
      if (!value || value.startsWith('--')) return '--env-file needs a file';
      envFile = value;
    } else return `unknown argument ${arg} (allowed: --env-file <file>, --check, --json)`;
  }
  return { envFile, check, json };
}

function storeLocation(config: EnvironmentConfig): SecretStoreLocation {
  return config.cloud === 'aws'
    ? { cloud: 'aws', region: config.region }
    : { cloud: 'azure', vaultName: azureNames(config.name).secretsKeyVault, subscriptionId: config.azure!.subscriptionId };
}

/** The entries the environment reads, built in memory from the same code synth runs (nothing is written). */
function inventoryOf(config: EnvironmentConfig): SecretInventoryEntry[] {
  const scratch = mkdtempSync(join(tmpdir(), 'secrets-'));
  try {
    // Like synth: cdktf's per-token stack traces cost seconds and are never quoted here (apps/token-traces.ts).
    const built = withoutTokenTraces(() => buildEnvironment(config, scratch));
    return secretInventory(built.app, built.platform.clusterInfo.secretStore, config.name);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function describe(entry: SecretInventoryEntry): string {
  switch (entry.source.source) {
    case 'generated':
      return `generated in-cluster: ${entry.source.purpose}`;
    case 'platform':
      return `written by the platform stack: ${entry.source.purpose}`;
    case 'external':
      return `EXTERNAL: ${entry.source.purpose}; provide: ${entry.source.provide}`;
  }
}

/**
 * `npm run secrets`: every secret-store entry the environment reads and where its value comes from;
 * `--check` asks the store (metadata only, never a value) which external entries are still missing.
 */
export async function runSecretsCli(argv: readonly string[], io: SecretsIo, run: CommandRunner, defaultEnvFile: string): Promise<number> {
  const args = parseArgs(argv, defaultEnvFile);
  if (typeof args === 'string') {
    io.err(`secrets: ${args}`);
    io.err(USAGE);
    return 2;
  }
  let config: EnvironmentConfig;
  try {
    config = loadEnvironment(args.envFile);
  } catch (error) {
    if (error instanceof ConfigError) {
      formatProblems(error.file, error.problems).forEach((line) => io.err(line));
      return 2;
    }
    throw error;
  }
  const entries = inventoryOf(config);
  if (!args.check) {
    if (args.json) io.out(JSON.stringify(entries, null, 2));
    else entries.forEach((entry) => io.out(`${entry.path}  ${describe(entry)}  (read by ${entry.readBy.join(', ')})`));
    return 0;
  }
  const result = await checkExternalSecrets(entries, storeLocation(config), run);
  if (args.json) {
    io.out(JSON.stringify({ present: result.present.map((e) => e.path), missing: result.missing.map((e) => e.path), error: result.error ?? null }, null, 2));
  } else {
    result.present.forEach((entry) => io.out(`present  ${entry.path}`));
    result.missing.forEach((entry) => io.out(`MISSING  ${entry.path}  ${describe(entry)}`));
    const generated = entries.filter((entry) => entry.source.source === 'generated').length;
    io.out(`${generated} entries are generated in-cluster by the platform (nothing to provide)`);
  }
  if (result.error) {
    io.err(`secrets: could not check the secret store: ${result.error}`);
    return 1;
  }
  if (result.missing.length > 0) {
    io.err(`secrets: ${result.missing.length} external secret(s) missing in ${config.cloud === 'aws' ? `Secrets Manager (${config.region})` : `Key Vault ${azureNames(config.name).secretsKeyVault}`}`);
    return EXIT_SECRETS_MISSING;
  }
  return 0;
}
