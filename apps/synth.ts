import { mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'fs';
import { dirname, join, resolve } from 'path';
import { ConfigError, formatProblems } from '../lib/config/errors';
import { loadEnvironment } from '../lib/config/load';
import { withTenantOffboarded } from '../lib/config/offboard-override';
import { EnvironmentConfig } from '../lib/config/schema';
import { formatGateSummary, runPolicyGate } from '../lib/policy/gate';
import { writeEvidencePack } from '../lib/report/write';
import { buildEnvironment } from './build';
import { policyEnvironment, policyStacks } from './policy-environment';
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

/**
 * Validates `envFile` and synthesizes every stack into `outdir`. An invalid file gives exit code 2 with
 * one line per problem and leaves `outdir` untouched. Output is written to a sibling staging directory
 * and moved into place only when complete, so a failure never leaves a half-written tree behind.
 */
export function synthesize(envFile: string, outdir: string, io: SynthOutput, override: SynthOverride = {}): SynthResult {
  let config: EnvironmentConfig;
  try {
    config = loadEnvironment(envFile);
    if (override.offboardTenant !== undefined) config = withTenantOffboarded(config, override.offboardTenant, envFile);
  } catch (error) {
    if (error instanceof ConfigError) {
      formatProblems(error.file, error.problems).forEach((line) => io.err(line));
      io.err(`${envFile}: ${error.problems.length} problem(s); nothing was synthesized`);
      return { exitCode: 2 };
    }
    throw error;
  }
  const target = resolve(outdir);
  // The staging directory sits next to the target so the final rename never crosses filesystems.
  mkdirSync(dirname(target), { recursive: true });
  const staging = mkdtempSync(resolve(dirname(target), '.cdktf.out-'));
  try {
    withoutTokenTraces(() => buildEnvironment(config, staging).app.synth());
    rmSync(target, { recursive: true, force: true });
    renameSync(staging, target);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  const overridden = override.offboardTenant === undefined ? '' : ` with tenants[id=${override.offboardTenant}].offboard forced to true (${envFile} unchanged)`;
  io.out(`synthesized ${config.name} (${config.cloud}, ${config.region}) into ${outdir}${overridden}`);
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
}

/**
 * Synthesizes, then runs the policy gate in-process (policies compiled to WebAssembly, so no OPA install
 * is needed) over every stack; expiring exceptions are judged against `options.today` (without it they
 * do not apply). Reports land in `<outdir>/policy-report.{json,md,sarif}`, and the data
 * each stack was judged with in `<outdir>/policy-data/<stack>.json` so conftest can replay the decision.
 * The sovereignty evidence pack (`<outdir>/sovereignty-report.{json,md,html,svg}`) is written after the
 * gate, whatever its verdict: a failed gate's evidence shows what failed.
 */
export async function synthesizeAndGate(envFile: string, outdir: string, io: SynthOutput, options: SynthOptions = {}): Promise<SynthResult> {
  const synthesized = synthesize(envFile, outdir, io, options);
  if (synthesized.exitCode !== 0 || !synthesized.config) {
    return synthesized;
  }
  const environment = policyEnvironment(synthesized.config, options.today);
  const stacks = policyStacks(synthesized.config, readdirSync(join(outdir, 'stacks')));
  mkdirSync(join(outdir, 'policy-data'), { recursive: true });
  for (const stack of stacks) {
    writeFileSync(join(outdir, 'policy-data', `${stack.name}.json`), `${JSON.stringify({ environment, stack }, null, 2)}\n`);
  }
  const report = await runPolicyGate({ outdir, environment, stacks });
  const summary = formatGateSummary(report).split('\n');
  summary.forEach((line) => (report.passed ? io.out(line) : io.err(line)));
  const evidence = writeEvidencePack({ outdir, config: synthesized.config, environmentFile: envFile, policy: report, gitCommit: options.gitCommit });
  io.out(`evidence pack: ${join(outdir, 'sovereignty-report.{json,md,html,svg}')}`);
  // Sizes below the capacity plan's advice are warnings: reported, never changed, never failing synth.
  evidence.capacity?.differences.filter((difference) => difference.severity === 'warning').forEach((difference) => io.out(`WARNING capacity: ${difference.message}`));
  return { exitCode: report.passed ? 0 : 3, config: synthesized.config };
}
