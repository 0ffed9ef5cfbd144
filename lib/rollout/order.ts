import { RolloutError } from './errors';
import { StackEntry } from './manifest';

/** `<env>-tenant-<id>`: one tenant's stack. Every other stack is shared by the whole environment. */
export function isTenantStack(stackName: string): boolean {
  return /-tenant-[^/]+$/.test(stackName);
}

/**
 * The layer a stack belongs to, from its name (`<env>-state`, `<env>-platform`, `<env>-addons`, `<env>-workloads`,
 * `<env>-tenant-<id>`). Only a tie-break: dependencies always win, but the state stack usually has no
 * cross-stack reference to the others (they use the bucket it creates through their backend block,
 * which cdktf cannot see), so without the layer rank nothing would put it first.
 */
export function layerRank(stackName: string): number {
  // Tenant first: a tenant id may itself end in "-state" or "-platform".
  if (isTenantStack(stackName)) return 4;
  if (stackName.endsWith('-state')) return 0;
  if (stackName.endsWith('-platform')) return 1;
  if (stackName.endsWith('-addons')) return 2;
  if (stackName.endsWith('-workloads')) return 3;
  return 5;
}

function compareStacks(a: StackEntry, b: StackEntry): number {
  const byRank = layerRank(a.name) - layerRank(b.name);
  if (byRank !== 0) return byRank;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/**
 * Orders stacks so every stack comes after the stacks it depends on (Kahn's algorithm). Among stacks
 * that are ready at the same time the lowest layer goes first, then the name: the same manifest always
 * gives the same order, so a plan or a deploy log can be compared run to run.
 * A cycle is an error naming the stacks in it (terraform could never apply them).
 */
export function orderStacks(stacks: readonly StackEntry[]): StackEntry[] {
  const byName = new Map<string, StackEntry>();
  for (const s of stacks) {
    if (byName.has(s.name)) throw new RolloutError(`stack "${s.name}" appears twice in the manifest`);
    byName.set(s.name, s);
  }
  const remaining = new Map<string, Set<string>>();
  for (const s of stacks) {
    for (const dep of s.dependencies) {
      if (!byName.has(dep)) throw new RolloutError(`stack "${s.name}" depends on unknown stack "${dep}"`);
    }
    remaining.set(s.name, new Set(s.dependencies));
  }

  const ordered: StackEntry[] = [];
  const done = new Set<string>();
  while (ordered.length < stacks.length) {
    const ready = stacks.filter((s) => !done.has(s.name) && [...(remaining.get(s.name) ?? [])].every((d) => done.has(d)));
    if (ready.length === 0) {
      const cycle = findCycle(stacks.filter((s) => !done.has(s.name)), byName);
      throw new RolloutError(
        `stacks have a dependency cycle: ${cycle.join(' -> ')}. Terraform cannot apply them in any order; ` +
          'remove one of the cross-stack references.',
      );
    }
    const next = [...ready].sort(compareStacks)[0];
    ordered.push(next);
    done.add(next.name);
  }
  return ordered;
}

/** A concrete cycle among the given (all blocked) stacks, first stack repeated at the end. */
function findCycle(blocked: readonly StackEntry[], byName: Map<string, StackEntry>): string[] {
  const blockedNames = new Set(blocked.map((s) => s.name));
  const start = [...blocked].sort(compareStacks)[0];
  // Every blocked stack has a blocked dependency, so walking them must revisit a stack.
  const seen: string[] = [];
  let current = start.name;
  while (!seen.includes(current)) {
    seen.push(current);
    const deps = [...(byName.get(current)?.dependencies ?? [])].filter((d) => blockedNames.has(d)).sort();
    current = deps[0];
  }
  const cycle = seen.slice(seen.indexOf(current));
  return [...cycle, current];
}

/**
 * Narrows an ordered list to the stacks the operator named (`--stacks`), keeping the dependency order.
 * Names may be full (`dev-platform`) or, when the environment is known, short (`platform`,
 * `tenant-acme`). An unknown name is an error listing the valid ones: silently skipping a typo would
 * report a drift check as green for a stack that was never looked at.
 */
export function selectStacks(ordered: readonly StackEntry[], requested: readonly string[] | undefined, environment?: string): StackEntry[] {
  if (requested === undefined || requested.length === 0) return [...ordered];
  const names = new Set(ordered.map((s) => s.name));
  const wanted = new Set<string>();
  const unknown: string[] = [];
  for (const r of requested) {
    if (names.has(r)) wanted.add(r);
    else if (environment !== undefined && names.has(`${environment}-${r}`)) wanted.add(`${environment}-${r}`);
    else unknown.push(r);
  }
  if (unknown.length > 0) {
    throw new RolloutError(
      `unknown stack${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `"${u}"`).join(', ')}; ` +
        `the manifest has: ${ordered.map((s) => s.name).join(', ') || '(none)'}`,
    );
  }
  return ordered.filter((s) => wanted.has(s.name));
}

/**
 * Keeps the stacks of one environment (`<env>-...`). An empty result means cdktf.out was synthesized
 * from another environment file, which would otherwise make us plan or apply the wrong environment.
 */
export function stacksForEnvironment(stacks: readonly StackEntry[], environment: string): StackEntry[] {
  const mine = stacks.filter((s) => s.name.startsWith(`${environment}-`));
  if (mine.length === 0) {
    throw new RolloutError(
      `the synthesized output has no stacks of environment "${environment}" (it has: ${
        stacks.map((s) => s.name).sort().join(', ') || 'none'
      }); synthesize this environment first (ENV_FILE=<file> npm run synth)`,
    );
  }
  return mine;
}

/** `--shard i/n`: the i-th of n slices (1-based). */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/**
 * One shard of an ordered stack list, for spreading a large environment over a CI matrix: the tenant
 * stacks are dealt round-robin in their (deterministic) order, so shards differ by at most one tenant;
 * the shared stacks go to shard 1 only, so every stack is in exactly one shard.
 */
export function shardStacks(ordered: readonly StackEntry[], shard: Shard): StackEntry[] {
  let tenant = 0;
  return ordered.filter((s) => (isTenantStack(s.name) ? tenant++ % shard.count === shard.index - 1 : shard.index === 1));
}
