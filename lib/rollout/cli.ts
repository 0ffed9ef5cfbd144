import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { CommandDeps, CommandRun, deployCommand, destroyCommand, planCommand, writeReport } from './commands';
import { detectDrift } from './drift';
import { environmentNameFromFile } from './environment';
import { RolloutError, UsageError } from './errors';
import { EXIT_ERROR, EXIT_USAGE } from './exit-codes';
import { readManifest, StackEntry } from './manifest';
import { offboardTenant, OffboardSynth } from './offboard';
import { orderStacks, selectStacks, Shard, shardStacks, stacksForEnvironment } from './order';
import { buildDriftReport, ReportContext, RolloutReport } from './report';
import { createTerraformRunner, TerraformRunner } from './runner';

export const COMMANDS = ['plan', 'deploy', 'drift', 'destroy', 'offboard'] as const;
export type Command = (typeof COMMANDS)[number];

export const USAGE = `usage: rollout <plan|deploy|drift|destroy|offboard> [options]

Runs terraform over an already-synthesized cdktf output (npm run synth), stacks in dependency order:
shared stacks (state, platform, addons, workloads, ...) one at a time, then tenant stacks.

  plan     init + plan -out of every stack into the plan directory, then the policy gate over the
           plan JSON; exit 0 planned and gate passed, 1 a stack failed to plan, 3 gate denied
  deploy   apply exactly the plans saved in the plan directory; exit 0 applied, 3 refused before
           touching anything (no/stale/incomplete plan, gate denied, state of a removed stack),
           1 a stack failed or a re-plan is needed (stops there)
  drift    refresh-only plan of every stack; exit 0 in sync, 2 drift, 1 a stack could not be checked
  destroy  terraform destroy of the --stacks named, dependents first; asks for confirmation unless
           --yes (refuses without --yes when stdin is not a terminal); refuses a tenant stack whose
           offboarding Jobs (tenants[].offboard: true) are not synthesized and applied, unless
           --skip-offboarding; exit 0, 1 failed, 3 refused
  offboard removes the tenant --tenant ID in one go: synth + gate of --env-file with its offboard forced
           on (the file is not edited) into --synth-dir (default cdktf.offboard/ID), plan + gate of its
           stack, confirmation (or --yes), deploy of that plan (offboarding Jobs), destroy of the stack;
           each step only if the one before succeeded; then delete the entry from the file.
           exit 0 removed, 1 a step failed, 2 bad usage or file (an id it does not list), 3 refused

  --env-file FILE   environment file (default: $ENV_FILE); only its "<name>-*" stacks are used
  --out DIR         where <command>-report.json and .md are written (default: <synth-dir>/rollout-reports)
  --stacks a,b      only these stacks (full names, or short names like "platform" with --env-file)
  --exclude a,b     every selected stack except these (same names as --stacks)
  --synth-dir DIR   cdktf output directory (default: $CDKTF_OUTDIR, else "output" of ./cdktf.json,
                    else cdktf.out); offboard: where it synthesizes (default cdktf.offboard/<id>)
  --plan-dir DIR    plan and deploy: where plans are saved / read (default: <synth-dir>/rollout-plan)
  --parallel N      plan, deploy, drift: tenant stacks run N at a time (default 1)
  --shard I/N       drift: only the I-th of N slices of the tenant stacks (shared stacks in slice 1)
  --tenant ID       offboard: the tenant's id (tenants[].id in the environment file)
  --yes             destroy, offboard: do not ask for confirmation
  --skip-offboarding  destroy: destroy tenant stacks that were not offboarded (leaves their LiteLLM
                    team/key and queue ACL user behind)
  --generated-at T  a timestamp to print in the reports (none by default, so reports are reproducible)

Exit 2 is also used for bad usage.`;

export interface CliArgs {
  readonly command: Command;
  readonly envFile?: string;
  readonly outDir?: string;
  readonly stacks?: readonly string[];
  readonly exclude?: readonly string[];
  readonly synthDir?: string;
  readonly planDir?: string;
  readonly parallel: number;
  readonly shard?: Shard;
  readonly yes: boolean;
  /** destroy: let tenant stacks through that were not offboarded first (lib/rollout/offboarding-gate.ts). */
  readonly skipOffboarding: boolean;
  /** offboard: the tenant's id. */
  readonly tenant?: string;
  readonly generatedAt?: string;
}

const VALUE_FLAGS: Record<string, string> = {
  '--env-file': 'envFile',
  '--out': 'outDir',
  '--stacks': 'stacks',
  '--exclude': 'exclude',
  '--synth-dir': 'synthDir',
  '--plan-dir': 'planDir',
  '--parallel': 'parallel',
  '--shard': 'shard',
  '--generated-at': 'generatedAt',
  '--tenant': 'tenant',
};
const BOOLEAN_FLAGS: Record<string, string> = { '--yes': 'yes', '--skip-offboarding': 'skipOffboarding' };

/** Options that only some commands take; anything else given to another command is a usage error. */
const ONLY_FOR: Record<string, readonly Command[]> = {
  stacks: ['plan', 'deploy', 'drift', 'destroy'],
  exclude: ['plan', 'deploy', 'drift', 'destroy'],
  planDir: ['plan', 'deploy'],
  parallel: ['plan', 'deploy', 'drift'],
  shard: ['drift'],
  yes: ['destroy', 'offboard'],
  skipOffboarding: ['destroy'],
  tenant: ['offboard'],
};

/** Upper bound for --parallel: each terraform run holds its providers in memory. */
export const MAX_PARALLEL = 32;

/** Parses argv (without node and script). Throws UsageError with a sentence saying what is wrong. */
export function parseArgs(argv: readonly string[]): CliArgs | 'help' {
  if (argv.includes('--help') || argv.includes('-h')) return 'help';
  const [command, ...rest] = argv;
  if (command === undefined) throw new UsageError('missing command');
  if (!(COMMANDS as readonly string[]).includes(command)) throw new UsageError(`unknown command "${command}"; expected one of ${COMMANDS.join(', ')}`);

  const values: Record<string, string> = {};
  const flags = new Set<string>();
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    const eq = arg.indexOf('=');
    const flag = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const boolean = BOOLEAN_FLAGS[arg];
    if (boolean !== undefined) {
      if (flags.has(boolean)) throw new UsageError(`option ${arg} given twice`);
      flags.add(boolean);
      continue;
    }
    const key = VALUE_FLAGS[flag];
    if (key === undefined) {
      throw new UsageError(arg.startsWith('-') ? `unknown option "${flag}"` : `unexpected argument "${arg}"`);
    }
    let value: string | undefined;
    if (flag !== arg) value = arg.slice(eq + 1);
    else {
      value = rest[i + 1];
      i++;
    }
    if (value === undefined || value === '' || (flag === arg && value.startsWith('--'))) throw new UsageError(`option ${flag} needs a value`);
    if (key in values) throw new UsageError(`option ${flag} given twice`);
    values[key] = value;
  }
  for (const [key, commands] of Object.entries(ONLY_FOR)) {
    if ((key in values || flags.has(key)) && !commands.includes(command as Command)) {
      const flag = Object.entries({ ...VALUE_FLAGS, ...BOOLEAN_FLAGS }).find(([, k]) => k === key)![0];
      throw new UsageError(`option ${flag} is for ${commands.join(', ')}, not ${command}`);
    }
  }

  const list = (flag: string, raw: string | undefined): string[] | undefined => {
    if (raw === undefined) return undefined;
    const names = raw.split(',').map((s) => s.trim());
    if (names.some((s) => s === '')) throw new UsageError(`${flag} has an empty name: "${raw}"`);
    return names;
  };
  const stacks = list('--stacks', values.stacks);
  const exclude = list('--exclude', values.exclude);
  if (command === 'destroy' && stacks === undefined) throw new UsageError('destroy needs --stacks naming exactly what to destroy');
  if (command === 'offboard' && values.tenant === undefined) throw new UsageError('offboard needs --tenant naming the tenant to remove (its tenants[].id)');
  return {
    command: command as Command,
    ...(values.envFile === undefined ? {} : { envFile: values.envFile }),
    ...(values.outDir === undefined ? {} : { outDir: values.outDir }),
    ...(stacks === undefined ? {} : { stacks }),
    ...(exclude === undefined ? {} : { exclude }),
    ...(values.synthDir === undefined ? {} : { synthDir: values.synthDir }),
    ...(values.planDir === undefined ? {} : { planDir: values.planDir }),
    parallel: values.parallel === undefined ? 1 : parseParallel(values.parallel),
    ...(values.shard === undefined ? {} : { shard: parseShard(values.shard) }),
    yes: flags.has('yes'),
    skipOffboarding: flags.has('skipOffboarding'),
    ...(values.tenant === undefined ? {} : { tenant: values.tenant }),
    ...(values.generatedAt === undefined ? {} : { generatedAt: values.generatedAt }),
  };
}

function parseParallel(raw: string): number {
  const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!(n >= 1 && n <= MAX_PARALLEL)) throw new UsageError(`--parallel must be a whole number from 1 to ${MAX_PARALLEL}, got "${raw}"`);
  return n;
}

function parseShard(raw: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(raw);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!(count >= 1 && index >= 1 && index <= count)) throw new UsageError(`--shard must be I/N with 1 <= I <= N (e.g. 2/8), got "${raw}"`);
  return { index, count };
}

export interface CliDeps extends CommandDeps {
  readonly cwd: string;
  /** Progress, terraform output and error messages. */
  readonly stderr: (text: string) => void;
  /** Defaults to the real terraform runner. */
  readonly runner?: TerraformRunner;
  /** offboard: synth + gate with the tenant's offboard forced on (apps/rollout.ts wires apps/synth.ts). */
  readonly synthesize?: OffboardSynth;
}

/** cdktf.json's `output`, so the CLI finds the same directory `cdktf synth` wrote to. */
function defaultSynthDir(cwd: string): string {
  const config = path.join(cwd, 'cdktf.json');
  if (existsSync(config)) {
    try {
      const output = (JSON.parse(readFileSync(config, 'utf8')) as { output?: unknown }).output;
      if (typeof output === 'string' && output !== '') return path.resolve(cwd, output);
    } catch {
      // An unreadable cdktf.json is synth's problem; fall back to cdktf's own default.
    }
  }
  return path.resolve(cwd, 'cdktf.out');
}

/** Runs the CLI and returns its exit code; never throws for user mistakes. */
export async function runCli(argv: readonly string[], deps: CliDeps): Promise<number> {
  let args: CliArgs | 'help';
  try {
    args = parseArgs(argv);
  } catch (err) {
    if (err instanceof UsageError) {
      deps.stderr(`rollout: ${err.message}\n\n${USAGE}\n`);
      return EXIT_USAGE;
    }
    throw err;
  }
  if (args === 'help') {
    deps.stdout(`${USAGE}\n`);
    return 0;
  }

  try {
    return await execute(args, deps);
  } catch (err) {
    if (err instanceof UsageError) {
      deps.stderr(`rollout: ${err.message}\n\n${USAGE}\n`);
      return EXIT_USAGE;
    }
    if (err instanceof RolloutError) {
      deps.stderr(`rollout: ${err.message}\n`);
      return EXIT_ERROR;
    }
    // Unexpected: still one line, unless asked for the trace.
    const detail = deps.env.ROLLOUT_DEBUG ? `\n${(err as Error).stack ?? ''}` : ' (set ROLLOUT_DEBUG=1 for a stack trace)';
    deps.stderr(`rollout: internal error: ${(err as Error).message}${detail}\n`);
    return EXIT_ERROR;
  }
}

async function execute(args: CliArgs, deps: CliDeps): Promise<number> {
  const envFile = args.envFile ?? (deps.env.ENV_FILE || undefined);
  const runner = deps.runner ?? createTerraformRunner({ env: deps.env });
  const log = deps.stderr;
  if (args.command === 'offboard') return offboard(args, envFile, runner, deps);

  // Same precedence as synth (apps/main.ts reads CDKTF_OUTDIR), so the rollout finds what synth wrote.
  const synthDir =
    args.synthDir !== undefined
      ? path.resolve(deps.cwd, args.synthDir)
      : deps.env.CDKTF_OUTDIR
        ? path.resolve(deps.cwd, deps.env.CDKTF_OUTDIR)
        : defaultSynthDir(deps.cwd);
  const environment = envFile !== undefined ? environmentNameFromFile(path.resolve(deps.cwd, envFile)) : undefined;

  let stacks: StackEntry[] = readManifest(synthDir);
  if (environment !== undefined) stacks = stacksForEnvironment(stacks, environment);
  // Order the whole environment first so dependency errors (cycles) show even for a subset.
  const ordered = orderStacks(stacks);
  let selected = selectForCommand(args, ordered, environment);
  if (args.exclude !== undefined) {
    // Validated like --stacks, so a typo cannot leave the stack it meant to skip selected.
    const excluded = new Set(selectStacks(ordered, args.exclude, environment).map((s) => s.name));
    selected = selected.filter((s) => !excluded.has(s.name));
  }
  if (args.shard !== undefined) selected = shardStacks(selected, args.shard);

  const ctx: ReportContext = { environment: environment ?? null, ...(args.generatedAt === undefined ? {} : { generatedAt: args.generatedAt }) };
  const planDir = args.planDir !== undefined ? path.resolve(deps.cwd, args.planDir) : path.join(synthDir, 'rollout-plan');
  const run: CommandRun = { stacks, ordered, synthDir, planDir, runner, log, environment: environment ?? null, report: ctx };

  let report: RolloutReport;
  switch (args.command) {
    case 'plan':
      report = await planCommand(run, deps, selected, args.parallel);
      break;
    case 'drift':
      report = buildDriftReport(await detectDrift({ stacks: selected, runner, parallel: args.parallel, log }), ctx);
      break;
    case 'deploy':
      report = await deployCommand(run, deps, selected, args.parallel);
      break;
    case 'destroy':
      report = await destroyCommand(run, deps, selected, { yes: args.yes, skipOffboarding: args.skipOffboarding });
      break;
  }
  writeReport(report, args.command, args.outDir !== undefined ? path.resolve(deps.cwd, args.outDir) : path.join(synthDir, 'rollout-reports'), deps, log);
  return report.exitCode;
}

/** `offboard`: synthesizes for itself (it needs the override), so it takes no synth directory to read. */
function offboard(args: CliArgs, envFile: string | undefined, runner: TerraformRunner, deps: CliDeps): Promise<number> {
  if (envFile === undefined) throw new UsageError('offboard needs --env-file (or $ENV_FILE): it synthesizes that environment with the tenant offboarded');
  if (deps.synthesize === undefined) throw new RolloutError('offboard: this rollout was started without a synthesizer');
  const tenantId = args.tenant!;
  const synthDir = path.resolve(deps.cwd, args.synthDir ?? path.join('cdktf.offboard', tenantId));
  return offboardTenant(
    {
      envFile: path.resolve(deps.cwd, envFile),
      tenantId,
      synthDir,
      outDir: args.outDir !== undefined ? path.resolve(deps.cwd, args.outDir) : path.join(synthDir, 'rollout-reports'),
      yes: args.yes,
      ...(args.generatedAt === undefined ? {} : { generatedAt: args.generatedAt }),
    },
    { ...deps, synthesize: deps.synthesize, runner, log: deps.stderr },
  );
}

/** `--stacks` for every command; for destroy, a stack missing from the synth gets the way to destroy it anyway. */
function selectForCommand(args: CliArgs, ordered: readonly StackEntry[], environment: string | undefined): StackEntry[] {
  try {
    return selectStacks(ordered, args.stacks, environment);
  } catch (err) {
    if (args.command !== 'destroy' || !(err instanceof RolloutError)) throw err;
    throw new RolloutError(
      `${err.message}. destroy needs the stack's configuration: synthesize an environment file that still lists it ` +
        '(e.g. the previous version: git show HEAD~1:<file> > prev.yaml; ENV_FILE=prev.yaml CDKTF_OUTDIR=cdktf.prev npm run synth) ' +
        'and run destroy with --synth-dir cdktf.prev',
    );
  }
}
