// First: before anything loads cdktf (apps/defer-archiver.ts).
import './defer-archiver';
import { mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'fs';
import { dirname, join, resolve } from 'path';
import { ConfigError, formatProblems } from '../lib/config/errors';
import { loadEnvironment } from '../lib/config/load';
import { withTenantOffboarded } from '../lib/config/offboard-override';
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

/** What synth may change in the environment file's configuration, in memory only. */
export interface SynthOverride {
  /** This tenant's `offboard` is forced on (`npm run offboard`); an id the file does not list is a problem of the file. */
  readonly offboardTenant?: string;
}

/** The validated configuration with the override applied, or undefined after printing its problems. */
function loadConfig(envFile: string, io: SynthOutput, override: SynthOverride): EnvironmentConfig | undefined {
  try {
    const config = loadEnvironment(envFile);
    return override.offboardTenant === undefined ? config : withTenantOffboarded(config, override.offboardTenant, envFile);
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
 * A staging directory next to `outdir` (so the final rename never crosses filesystems): `commit` moves it
 * into place once complete, `discard` removes whatever is left, so a failure never leaves a half-written
 * tree behind.
 */
function staging(outdir: string): { readonly dir: string; commit(): void; discard(): void } {
  const target = resolve(outdir);
  mkdirSync(dirname(target), { recursive: true });
  const dir = mkdtempSync(resolve(dirname(target), '.cdktf.out-'));
  return {
    dir,
    commit: () => {
      rmSync(target, { recursive: true, force: true });
      renameSync(dir, target);
    },
    discard: () => rmSync(dir, { recursive: true, force: true }),
  };
}

function reportSynthesized(io: SynthOutput, config: EnvironmentConfig, envFile: string, outdir: string, override: SynthOverride): void {
  const overridden = override.offboardTenant === undefined ? '' : ` with tenants[id=${override.offboardTenant}].offboard forced to true (${envFile} unchanged)`;
  io.out(`synthesized ${config.name} (${config.cloud}, ${config.region}) into ${outdir}${overridden}`);
}

/**
 * Validates `envFile` and synthesizes every stack into `outdir`, in this thread. An invalid file gives
 * exit code 2 with one line per problem and leaves `outdir` untouched.
 */
export function synthesize(envFile: string, outdir: string, io: SynthOutput, override: SynthOverride = {}): SynthResult {
  const config = loadConfig(envFile, io, override);
  if (config === undefined) {
    return { exitCode: 2 };
  }
  const stage = staging(outdir);
  try {
    withoutTokenTraces(() => buildEnvironment(config, stage.dir).app.synth());
    stage.commit();
  } finally {
    stage.discard();
  }
  reportSynthesized(io, config, envFile, outdir, override);
  return { exitCode: 0, config };
}

/**
 * The date expiring policy exceptions are judged against: GATE_DATE (YYYY-MM-DD) when set (CI pins it),
 * otherwise today in UTC. Read by the commands (apps/main.ts, apps/rollout.ts), never inside synthesis.
 */
export function gateDate(env: NodeJS.ProcessEnv): string {
  return env.GATE_DATE ?? new Date().toISOString().slice(0, 10);
}

export interface SynthOptions extends SynthOverride {
  /**
   * The source commit to record in the evidence pack. Synth reads no git state itself, so its output
   * depends only on the code and the environment file; the caller (CI: SOURCE_COMMIT) passes it in.
   */
  readonly gitCommit?: string;
  /** The date (YYYY-MM-DD) expiring policy exceptions are judged against; the CLI supplies it. */
  readonly today?: string;
  /**
   * Worker threads for the tenant stacks besides this one, which takes a share too (apps/sharded-synth.ts;
   * 0 = none); default: one per core but this thread's from SHARDED_MIN_TENANTS tenants on, none below.
   * The output is the same either way.
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
  const config = loadConfig(envFile, io, options);
  if (config === undefined) {
    return { exitCode: 2 };
  }
  const environment = policyEnvironment(config, options.today);
  const workers = synthWorkerCount(config.tenants.length, options.workers);
  // Tenant stacks the workers judged already (none when synthesized in this thread).
  let judged: JudgedStack[] = [];
  const stage = staging(outdir);
  try {
    if (workers > 0) {
      judged = await synthesizeSharded(config, stage.dir, environment, workers);
    } else {
      withoutTokenTraces(() => buildEnvironment(config, stage.dir).app.synth());
    }
    stage.commit();
  } finally {
    stage.discard();
  }
  reportSynthesized(io, config, envFile, outdir, options);
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
