import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { RolloutError } from './errors';

/** One synthesized stack, as the rollout needs it. */
export interface StackEntry {
  /** Stack name, e.g. `dev-platform`. */
  readonly name: string;
  /** Absolute directory holding `cdk.tf.json`; terraform runs here (`-chdir`). */
  readonly workingDirectory: string;
  /** Names of the stacks this one reads from (cdktf cross-stack references). */
  readonly dependencies: readonly string[];
}

/**
 * The part of cdktf's `manifest.json` we rely on (cdktf 0.21 `IManifest`). Declared here rather than
 * imported from `cdktf` so the rollout does not load the construct library just to read a file.
 */
interface RawManifest {
  version?: unknown;
  stacks?: Record<string, RawStack>;
}
interface RawStack {
  name?: unknown;
  constructPath?: unknown;
  workingDirectory?: unknown;
  synthesizedStackPath?: unknown;
  dependencies?: unknown;
}

const MANIFEST_FILE = 'manifest.json';

/**
 * Reads `<synthDir>/manifest.json` and returns its stacks, unordered (see `orderStacks`).
 * Dependencies are recorded by cdktf as construct paths; they are mapped back to stack names so the
 * rest of the rollout speaks one vocabulary.
 */
export function readManifest(synthDir: string): StackEntry[] {
  const root = path.resolve(synthDir);
  const file = path.join(root, MANIFEST_FILE);
  if (!existsSync(file)) {
    throw new RolloutError(
      `no cdktf manifest at ${file}: synthesize first (npm run synth) or point --synth-dir at the cdktf output directory`,
    );
  }
  let raw: RawManifest;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8')) as RawManifest;
  } catch (err) {
    throw new RolloutError(`${file} is not valid JSON: ${(err as Error).message}`);
  }
  return parseManifest(raw, root, file);
}

/** Validates and normalizes a parsed manifest; exported for tests. */
export function parseManifest(raw: unknown, root: string, source = MANIFEST_FILE): StackEntry[] {
  if (typeof raw !== 'object' || raw === null || typeof (raw as RawManifest).stacks !== 'object' || (raw as RawManifest).stacks === null) {
    throw new RolloutError(`${source} has no "stacks" object; is it a cdktf manifest?`);
  }
  const rawStacks = (raw as RawManifest).stacks as Record<string, RawStack>;

  const byPath = new Map<string, string>();
  const parsed: Array<{ name: string; workingDirectory: string; deps: string[] }> = [];
  for (const key of Object.keys(rawStacks).sort()) {
    const s = rawStacks[key];
    const name = typeof s?.name === 'string' ? s.name : key;
    const where = `${source}: stack "${name}"`;
    if (typeof s?.workingDirectory !== 'string' || s.workingDirectory === '') {
      throw new RolloutError(`${where} has no "workingDirectory"`);
    }
    const deps = s.dependencies ?? [];
    if (!Array.isArray(deps) || deps.some((d) => typeof d !== 'string')) {
      throw new RolloutError(`${where} has a "dependencies" entry that is not a list of strings`);
    }
    byPath.set(typeof s.constructPath === 'string' ? s.constructPath : name, name);
    byPath.set(name, name);
    parsed.push({ name, workingDirectory: path.resolve(root, s.workingDirectory), deps: deps as string[] });
  }

  return parsed.map((p) => ({
    name: p.name,
    workingDirectory: p.workingDirectory,
    dependencies: p.deps.map((dep) => {
      const target = byPath.get(dep);
      if (target === undefined) {
        throw new RolloutError(`${source}: stack "${p.name}" depends on "${dep}", which is not in the manifest`);
      }
      return target;
    }),
  }));
}
