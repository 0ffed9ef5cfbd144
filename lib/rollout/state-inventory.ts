import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { RolloutError } from './errors';
import { StackEntry } from './manifest';
import { outputTail, RunResult } from './runner';

/**
 * What the state backend holds for an environment. An interface so tests (and other backends) can
 * stand in for the cloud CLIs the real one calls.
 */
export interface StateInventory {
  /** Where the states are, for messages (e.g. `s3://bucket/env/`). */
  readonly location: string;
  /** Names of the stacks that have a state object (`<key prefix>/<stack>.tfstate`). */
  listStacks(): Promise<string[]>;
  /** The raw state document of one stack (it holds secrets: read, never print). */
  readState(stack: string): Promise<string>;
}

/** Runs a cloud CLI (`aws`, `az`) without a shell. */
export type CommandRunner = (binary: string, args: readonly string[]) => Promise<RunResult>;

/** Whether a state document still records a managed resource (a destroyed stack's state is empty). */
export function stateHasResources(state: string): boolean {
  const doc = JSON.parse(state) as { resources?: Array<{ mode?: string; instances?: unknown[] }> };
  return (doc.resources ?? []).some((r) => r.mode === 'managed' && (r.instances ?? []).length > 0);
}

/**
 * Stacks of the environment (`<environment>-*`; any name when the environment is not known) that still
 * manage resources but are no longer synthesized: a tenant removed from the environment file leaves
 * its stack's state (and its live resources) behind. Sorted.
 */
export async function orphanedStacks(inventory: StateInventory, synthesized: readonly string[], environment: string | null): Promise<string[]> {
  const known = new Set(synthesized);
  const ours = (s: string): boolean => environment === null || s.startsWith(`${environment}-`);
  const orphans: string[] = [];
  for (const stack of (await inventory.listStacks()).filter((s) => ours(s) && !known.has(s)).sort()) {
    if (stateHasResources(await inventory.readState(stack))) orphans.push(stack);
  }
  return orphans;
}

const STATE_SUFFIX = '.tfstate';

/** `<prefix><stack>.tfstate` keys -> stack names (lock files and other objects are ignored). */
function stacksFromKeys(keys: readonly string[], prefix: string): string[] {
  return keys
    .filter((k) => k.startsWith(prefix) && k.endsWith(STATE_SUFFIX) && !k.slice(prefix.length).includes('/'))
    .map((k) => k.slice(prefix.length, -STATE_SUFFIX.length));
}

function cliStdout(result: RunResult, what: string): string {
  if (result.exitCode === 0) return result.stdout;
  throw new RolloutError(`${what} failed (exit ${result.exitCode}); the tenant-removal check needs it:\n${outputTail(result, 5)}`);
}

/** The listing of a bucket/container that does not exist yet (a fresh environment, before its state stack is applied). */
const isMissingStore = (result: RunResult, pattern: RegExp): boolean => result.exitCode !== 0 && pattern.test(result.stderr);

/**
 * The inventory of the backend the synthesized stacks use, read from a stack's cdk.tf.json (every stack
 * but the bootstrap state stack uses the same bucket/container and key prefix `<env>/`). Undefined for
 * backends that cannot be listed this way (HCP Terraform / Terraform Enterprise workspaces).
 */
export function inventoryFromSynth(stack: StackEntry, run: CommandRunner): StateInventory | undefined {
  const config = JSON.parse(readFileSync(path.join(stack.workingDirectory, 'cdk.tf.json'), 'utf8')) as { terraform?: { backend?: Record<string, Record<string, string>> } };
  const backend = config.terraform?.backend ?? {};
  if (backend.s3) {
    const { bucket, key, region } = backend.s3;
    const prefix = `${path.posix.dirname(key)}/`;
    return {
      location: `s3://${bucket}/${prefix}`,
      async listStacks() {
        const result = await run('aws', ['s3api', 'list-objects-v2', '--bucket', bucket, '--prefix', prefix, '--region', region, '--query', 'Contents[].Key', '--output', 'json']);
        if (isMissingStore(result, /NoSuchBucket/)) return [];
        // An empty listing prints `null`.
        return stacksFromKeys((JSON.parse(cliStdout(result, `aws s3api list-objects-v2 --bucket ${bucket}`)) as string[] | null) ?? [], prefix);
      },
      async readState(name) {
        return cliStdout(await run('aws', ['s3', 'cp', `s3://${bucket}/${prefix}${name}${STATE_SUFFIX}`, '-', '--region', region]), `aws s3 cp (state of ${name})`);
      },
    };
  }
  if (backend.azurerm) {
    const { storage_account_name: account, container_name: container, key } = backend.azurerm;
    const prefix = `${path.posix.dirname(key)}/`;
    const common = ['--account-name', account, '--container-name', container, '--auth-mode', 'login'];
    return {
      location: `https://${account}.blob.core.windows.net/${container}/${prefix}`,
      async listStacks() {
        const result = await run('az', ['storage', 'blob', 'list', ...common, '--prefix', prefix, '--num-results', '*', '--query', '[].name', '--output', 'json']);
        if (isMissingStore(result, /ContainerNotFound|StorageAccountNotFound|ResourceNotFound/)) return [];
        return stacksFromKeys(JSON.parse(cliStdout(result, `az storage blob list --account-name ${account}`)) as string[], prefix);
      },
      async readState(name) {
        return cliStdout(
          await run('az', ['storage', 'blob', 'download', ...common, '--name', `${prefix}${name}${STATE_SUFFIX}`, '--file', '/dev/stdout', '--no-progress', '--output', 'none']),
          `az storage blob download (state of ${name})`,
        );
      },
    };
  }
  if (backend.local) {
    const dir = path.resolve(stack.workingDirectory, path.dirname(backend.local.path));
    return {
      location: dir,
      listStacks: async () => (existsSync(dir) ? stacksFromKeys(readdirSync(dir), '') : []),
      readState: async (name) => readFileSync(path.join(dir, `${name}${STATE_SUFFIX}`), 'utf8'),
    };
  }
  return undefined;
}
