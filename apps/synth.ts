import { existsSync, mkdtempSync, renameSync, rmSync } from 'fs';
import { dirname, resolve } from 'path';
import { ConfigError, formatProblems } from '../lib/config/errors';
import { loadEnvironment } from '../lib/config/load';
import { EnvironmentConfig } from '../lib/config/schema';
import { buildEnvironment } from './build';

export interface SynthOutput {
  out(line: string): void;
  err(line: string): void;
}

export interface SynthResult {
  readonly exitCode: 0 | 2;
  readonly config?: EnvironmentConfig;
}

/**
 * Validates `envFile` and synthesizes every stack into `outdir`. An invalid file gives exit code 2 with
 * one line per problem and leaves `outdir` untouched. Output is written to a sibling staging directory
 * and moved into place only when complete, so a failure never leaves a half-written tree behind.
 */
export function synthesize(envFile: string, outdir: string, io: SynthOutput): SynthResult {
  let config: EnvironmentConfig;
  try {
    config = loadEnvironment(envFile);
  } catch (error) {
    if (error instanceof ConfigError) {
      formatProblems(error.file, error.problems).forEach((line) => io.err(line));
      io.err(`${envFile}: ${error.problems.length} problem(s); nothing was synthesized`);
      return { exitCode: 2 };
    }
    throw error;
  }
  const target = resolve(outdir);
  const staging = mkdtempSync(resolve(dirname(target), '.cdktf.out-'));
  try {
    buildEnvironment(config, staging).app.synth();
    if (existsSync(target)) {
      rmSync(target, { recursive: true, force: true });
    }
    renameSync(staging, target);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  io.out(`synthesized ${config.name} (${config.cloud}, ${config.region}) into ${outdir}`);
  return { exitCode: 0, config };
}
