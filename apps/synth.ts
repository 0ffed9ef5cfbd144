import { mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'fs';
import { dirname, join, resolve } from 'path';
import { ConfigError, formatProblems } from '../lib/config/errors';
import { loadEnvironment } from '../lib/config/load';
import { EnvironmentConfig } from '../lib/config/schema';
import { formatGateSummary, runPolicyGate } from '../lib/policy/gate';
import { JudgedStack } from '../lib/policy/types';
import { writeEvidencePack } from '../lib/report/write';
import { buildEnvironment } from './build';
import { policyEnvironment, policyStacks } from './policy-environment';
import { synthesizeSharded, synthWorkerCount } from './sharded-synth';
import { withoutTokenTraces } from './token-traces';

export interface SynthOutput {
  out(line: string): void;
  err(line: string): void;
}

/** 0 synthesized and compliant; 2 invalid environment file (nothing written); 3 the policy gate denied. */
export interface SynthResult {
  readonly exitCode: 0 | 2 | 3;
  readonly config?: EnvironmentConfig;
}

/** The validated environment file, or undefined after reporting its problems (exit code 2). */
function loadConfig(envFile: string, io: SynthOutput): EnvironmentConfig | undefined {
  try {
    return loadEnvironment(envFile);
  } catch (error) {
    if (error instanceof ConfigError) {
      formatProblems(error.file, error.problems).forEach((line) => io.err(line));
      io.err(`${envFile}: ${error.problems.length} problem(s); nothing was synthesized`);
      return undefined;
    }
    throw error;
  }
}

/**
 * Runs `write` on a staging directory next to `outdir` (so the final rename never crosses filesystems)
 * and moves it into place only when complete, so a failure never leaves a half-written tree behind.
 */
async function replaceOutdir<T>(outdir: string, write: (staging: string) => T | Promise<T>): Promise<T> {
  const target = resolve(outdir);
  mkdirSync(dirname(target), { recursive: true });
  const staging = mkdtempSync(resolve(dirname(target), '.cdktf.out-'));
  try {
    const result = await write(staging);
    rmSync(target, { recursive: true, force: true });
    renameSync(staging, target);
    return result;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/**
 * Validates `envFile` and synthesizes every stack into `outdir` in this thread. An invalid file gives
 * exit code 2 with one line per problem and leaves `outdir` untouched; nothing half-written is left.
 */
export async function synthesize(envFile: string, outdir: string, io: SynthOutput): Promise<SynthResult> {
  const config = loadConfig(envFile, io);
  if (config === undefined) {
    return { exitCode: 2 };
  }
  await replaceOutdir(outdir, (staging) => withoutTokenTraces(() => buildEnvironment(config, staging).app.synth()));
  io.out(`synthesized ${config.name} (${config.cloud}, ${config.region}) into ${outdir}`);
  return { exitCode: 0, config };
}

export interface SynthOptions {
  /**
   * The source commit to record in the evidence pack. Synth reads no git state itself, so its output
   * depends only on the code and the environment file; the caller (CI: SOURCE_COMMIT) passes it in.
   */
  readonly gitCommit?: string;
  /** The date (YYYY-MM-DD) expiring policy exceptions are judged against; the CLI supplies it. */
  readonly today?: string;
  /**
   * Worker threads for the tenant stacks (apps/sharded-synth.ts; 0 = none); default: one per core from
   * SHARDED_MIN_TENANTS tenants on, none below. The output is the same either way.
   */
  readonly workers?: number;
}

/**
 * Synthesizes, then runs the policy gate in-process (policies compiled to WebAssembly, so no OPA install
 * is needed) over every stack; expiring exceptions are judged against `options.today` (without it they
 * do not apply). Reports land in `<outdir>/policy-report.{json,md,sarif}`, and the data
 * each stack was judged with in `<outdir>/policy-data/<stack>.json` so conftest can replay the decision.
 * The sovereignty evidence pack (`<outdir>/sovereignty-report.{json,md,html,svg}`) is written after the
 * gate, whatever its verdict: a failed gate's evidence shows what failed. With many tenants, worker
 * threads synthesize and judge the tenant stacks (apps/sharded-synth.ts).
 */
export async function synthesizeAndGate(envFile: string, outdir: string, io: SynthOutput, options: SynthOptions = {}): Promise<SynthResult> {
  const config = loadConfig(envFile, io);
  if (config === undefined) {
    return { exitCode: 2 };
  }
  const environment = policyEnvironment(config, options.today);
  const workers = synthWorkerCount(config.tenants.length, options.workers);
  // Tenant stacks the workers judged already (none when synthesized in this thread).
  const judged = await replaceOutdir(outdir, (staging): JudgedStack[] | Promise<JudgedStack[]> => {
    if (workers > 0) {
      return synthesizeSharded(config, staging, environment, workers);
    }
    withoutTokenTraces(() => buildEnvironment(config, staging).app.synth());
    return [];
  });
  io.out(`synthesized ${config.name} (${config.cloud}, ${config.region}) into ${outdir}`);
  const stacks = policyStacks(config, readdirSync(join(outdir, 'stacks')));
  mkdirSync(join(outdir, 'policy-data'), { recursive: true });
  for (const stack of stacks) {
    writeFileSync(join(outdir, 'policy-data', `${stack.name}.json`), `${JSON.stringify({ environment, stack }, null, 2)}\n`);
  }
  const report = await runPolicyGate({ outdir, environment, stacks, judged });
  const summary = formatGateSummary(report).split('\n');
  summary.forEach((line) => (report.passed ? io.out(line) : io.err(line)));
  const evidence = writeEvidencePack({ outdir, config, environmentFile: envFile, policy: report, gitCommit: options.gitCommit });
  io.out(`evidence pack: ${join(outdir, 'sovereignty-report.{json,md,html,svg}')}`);
  // Sizes below the capacity plan's advice are warnings: reported, never changed, never failing synth.
  evidence.capacity?.differences.filter((difference) => difference.severity === 'warning').forEach((difference) => io.out(`WARNING capacity: ${difference.message}`));
  return { exitCode: report.passed ? 0 : 3, config };
}
