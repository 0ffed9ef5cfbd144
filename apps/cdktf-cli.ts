import { existsSync, mkdirSync, readdirSync } from 'fs';
import { join } from 'path';

/**
 * Compatibility with the cdktf CLI (`npx cdktf synth|list|diff|deploy`, app command in cdktf.json).
 *
 * The CLI lists the stack directories under `<outdir>/stacks` before it runs the app, and afterwards
 * deletes those the app no longer synthesized, failing with ENOENT when one is already gone. Our synth
 * replaces the whole output directory at once, so after a switch of ENV_FILE the previous environment's
 * stacks are gone. Recreating them empty lets the CLI finish its own clean-up.
 */
export function stackDirectories(outdir: string): string[] {
  const stacks = join(outdir, 'stacks');
  return existsSync(stacks) ? readdirSync(stacks, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name) : [];
}

/** Recreates, empty, the stack directories listed before the synth that the synth removed. */
export function restoreForCdktfCli(outdir: string, before: readonly string[]): void {
  for (const stack of before) {
    mkdirSync(join(outdir, 'stacks', stack), { recursive: true });
  }
}
