import { mkdtempSync, readdirSync, readFileSync, statSync } from 'fs';
import { tmpdir } from 'os';
import { join, relative, resolve } from 'path';
import { parse } from 'yaml';
import { loadEnvironment, validateEnvironment } from '../lib/config/load';
import { EnvironmentConfig } from '../lib/config/schema';
import { ConfigError, formatProblems } from '../lib/config/errors';
import { withoutTokenTraces } from '../apps/token-traces';
import { cachedExample } from './example-cache';

export const REPO_ROOT = resolve(__dirname, '..');
export const AWS_EXAMPLE = join(REPO_ROOT, 'examples/gcc-uae-aws.yaml');

/** The raw (unvalidated) AWS example as a plain object, to mutate in tests. */
export function awsExampleInput(): Record<string, any> {
  return parse(readFileSync(AWS_EXAMPLE, 'utf8'));
}

/** Validates `input` and returns the formatted problem lines (empty when valid). */
export function problemLines(input: unknown, file = 'env.yaml'): string[] {
  try {
    validateEnvironment(input, file);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) {
      return formatProblems(error.file, error.problems);
    }
    throw error;
  }
}

export function configFrom(input: unknown): EnvironmentConfig {
  return validateEnvironment(input, 'env.yaml');
}

export interface SynthesizedStacks {
  readonly outdir: string;
  /** Parsed cdk.tf.json per stack name. */
  readonly stacks: Record<string, any>;
}

/** Synthesizes every stack of `config` into a fresh temporary directory and parses the results. */
export function synthEnvironment(config: EnvironmentConfig): SynthesizedStacks {
  // Loaded on first use: test files that only read cached examples never load the provider modules.
  const { buildEnvironment } = require('../apps/build') as typeof import('../apps/build');
  const outdir = mkdtempSync(join(tmpdir(), 'synth-'));
  withoutTokenTraces(() => buildEnvironment(config, outdir).app.synth());
  return readSynthesized(outdir);
}

/** The parsed cdk.tf.json of every stack in the synth output directory `outdir`. */
function readSynthesized(outdir: string): SynthesizedStacks {
  const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8'));
  const stacks: Record<string, any> = {};
  for (const [name, stack] of Object.entries<any>(manifest.stacks)) {
    stacks[name] = JSON.parse(readFileSync(join(outdir, stack.synthesizedStackPath), 'utf8'));
  }
  return { outdir, stacks };
}

/**
 * Synthesizes an environment file; an unchanged example comes from the run's cache (test/example-cache.ts),
 * in a directory of its own and parsed afresh, so callers share nothing.
 */
export function synthExample(file: string): SynthesizedStacks {
  const cached = cachedExample(file);
  return cached === undefined ? synthEnvironment(loadEnvironment(file)) : readSynthesized(cached);
}

/** All resources of one type in a synthesized stack, as [name, values] pairs. */
export function resourcesOf(stack: any, type: string): Array<[string, any]> {
  return Object.entries(stack.resource?.[type] ?? {});
}

/** Every file under `dir` with its content, keyed by relative path (to compare two synth outputs). */
export function treeContents(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (current: string) => {
    for (const entry of readdirSync(current).sort()) {
      const path = join(current, entry);
      if (statSync(path).isDirectory()) {
        walk(path);
      } else {
        files[relative(dir, path)] = readFileSync(path, 'utf8');
      }
    }
  };
  walk(dir);
  return files;
}
