/**
 * The examples (examples/*.yaml) synthesized once per `npm test` run instead of once per test file: about
 * forty test files assert on the same three syntheses, and each file runs in a fresh module registry, so
 * each paid for loading every provider module and for a cold synth. test/global-setup.ts fills the cache
 * before the workers start; `cachedExample` hands each caller a private copy of one example's output.
 * Without the cache (the integration config, a single file run through another config) or for a file that
 * is not an unchanged example, callers synthesize themselves (test/helpers.ts `synthExample`).
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { basename, dirname, join, resolve } from 'path';

/** Set by test/global-setup.ts to the cache directory; the workers inherit it. */
export const EXAMPLE_CACHE_ENV = 'TEST_EXAMPLE_SYNTH_DIR';

const EXAMPLES_DIR = resolve(__dirname, '..', 'examples');

/** Every example environment file, as an absolute path. */
export function exampleFiles(): string[] {
  return readdirSync(EXAMPLES_DIR)
    .filter((file) => /\.ya?ml$/.test(file))
    .sort()
    .map((file) => join(EXAMPLES_DIR, file));
}

/** Where one example's cache entry lives: the file it was synthesized from, and the synth output. */
export function cacheEntry(cacheDir: string, exampleFile: string): { readonly source: string; readonly outdir: string } {
  const entry = join(cacheDir, basename(exampleFile));
  return { source: join(entry, 'source.yaml'), outdir: join(entry, 'out') };
}

/**
 * A fresh copy (callers may write into it) of the synth output of `file`, or undefined when there is no
 * cache, `file` is not in examples/, its synth failed during setup (the caller's own synth then reports
 * why), or the file's text differs from what was synthesized.
 */
export function cachedExample(file: string): string | undefined {
  const cacheDir = process.env[EXAMPLE_CACHE_ENV];
  const path = resolve(file);
  if (cacheDir === undefined || dirname(path) !== EXAMPLES_DIR) return undefined;
  const { source, outdir } = cacheEntry(cacheDir, path);
  if (!existsSync(join(outdir, 'manifest.json')) || readFileSync(source, 'utf8') !== readFileSync(path, 'utf8')) return undefined;
  const copy = mkdtempSync(join(tmpdir(), 'synth-'));
  cpSync(outdir, copy, { recursive: true });
  return copy;
}
