import { mkdtempSync, renameSync, rmSync } from 'fs';
import { dirname, resolve } from 'path';
import { ConfigError, formatProblems } from '../lib/config/errors';
import { loadEnvironment } from '../lib/config/load';
import { buildEnvironment } from './build';

/**
 * `npm run synth`: reads ENV_FILE (default examples/gcc-uae-aws.yaml), validates it, synthesizes every
 * stack into cdktf.out. Exit codes: 0 ok, 2 invalid environment file, 1 anything else. Output is written
 * to a temporary directory and moved into place only when complete, so a failure never leaves a
 * half-written cdktf.out behind.
 */
const DEFAULT_ENV_FILE = 'examples/gcc-uae-aws.yaml';

function main(): number {
  const envFile = process.env.ENV_FILE ?? DEFAULT_ENV_FILE;
  const outdir = resolve(process.env.CDKTF_OUTDIR ?? 'cdktf.out');
  let config;
  try {
    config = loadEnvironment(envFile);
  } catch (error) {
    if (error instanceof ConfigError) {
      for (const line of formatProblems(error.file, error.problems)) {
        process.stderr.write(`${line}\n`);
      }
      process.stderr.write(`${envFile}: ${error.problems.length} problem(s); nothing was synthesized\n`);
      return 2;
    }
    throw error;
  }
  const staging = mkdtempSync(resolve(dirname(outdir), '.cdktf.out-'));
  try {
    buildEnvironment(config, staging).app.synth();
    rmSync(outdir, { recursive: true, force: true });
    renameSync(staging, outdir);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  process.stdout.write(`synthesized ${config.name} (${config.cloud}, ${config.region}) into ${outdir}\n`);
  return 0;
}

try {
  process.exitCode = main();
} catch (error) {
  process.stderr.write(`synth failed: ${(error as Error).message}\n`);
  process.exitCode = 1;
}
