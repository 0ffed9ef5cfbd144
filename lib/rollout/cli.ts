import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { deployStacks, PolicyGate } from './deploy';
import { detectDrift } from './drift';
import { environmentNameFromFile } from './environment';
import { RolloutError, UsageError } from './errors';
import { EXIT_ERROR, EXIT_USAGE } from './exit-codes';
import { readManifest, StackEntry } from './manifest';
import { orderStacks, selectStacks, stacksForEnvironment } from './order';
import { planStacks } from './plan';
import { buildDeployReport, buildDriftReport, buildPlanReport, renderJson, renderMarkdown, ReportContext, RolloutReport } from './report';
import { createTerraformRunner, TerraformRunner } from './runner';

export const COMMANDS = ['plan', 'deploy', 'drift'] as const;
export type Command = (typeof COMMANDS)[number];

export const USAGE = `usage: rollout <plan|deploy|drift> [--env-file FILE] [--out DIR] [--stacks a,b] [--exclude a,b] [--synth-dir DIR]

Runs terraform over an already-synthesized cdktf output, stacks in dependency order
(state, platform, workloads, tenants).

  plan     init + plan every stack; exit 0 planned, 1 a stack failed
  deploy   policy gate, then init + apply each stack; stops at the first failure; exit 0 or 1
  drift    refresh-only plan of every stack; exit 0 in sync, 2 drift, 1 a stack could not be checked

  --env-file FILE   environment file (default: $ENV_FILE); only its "<name>-*" stacks are used
  --out DIR         where <command>-report.json and .md are written (default: <synth-dir>/rollout-reports)
  --stacks a,b      only these stacks (full names, or short names like "platform" with --env-file)
  --exclude a,b     every selected stack except these (same names as --stacks)
  --synth-dir DIR   cdktf output directory (default: $CDKTF_OUTDIR, else "output" of ./cdktf.json,
                    else cdktf.out)
  --generated-at T  a timestamp to print in the reports (none by default, so reports are reproducible)

Exit 2 is also used for bad usage.`;

export interface CliArgs {
  readonly command: Command;
  readonly envFile?: string;
  readonly outDir?: string;
  readonly stacks?: readonly string[];
  readonly exclude?: readonly string[];
  readonly synthDir?: string;
  readonly generatedAt?: string;
}

const VALUE_FLAGS: Record<string, Exclude<keyof CliArgs, 'command'>> = {
  '--env-file': 'envFile',
  '--out': 'outDir',
  '--stacks': 'stacks',
  '--exclude': 'exclude',
  '--synth-dir': 'synthDir',
  '--generated-at': 'generatedAt',
};

/** Parses argv (without node and script). Throws UsageError with a sentence saying what is wrong. */
export function parseArgs(argv: readonly string[]): CliArgs | 'help' {
  if (argv.includes('--help') || argv.includes('-h')) return 'help';
  const [command, ...rest] = argv;
  if (command === undefined) throw new UsageError('missing command');
  if (!(COMMANDS as readonly string[]).includes(command)) throw new UsageError(`unknown command "${command}"; expected one of ${COMMANDS.join(', ')}`);

  const values: Record<string, string> = {};
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    const eq = arg.indexOf('=');
    const flag = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
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

  const list = (flag: string, raw: string | undefined): string[] | undefined => {
    if (raw === undefined) return undefined;
    const names = raw.split(',').map((s) => s.trim());
    if (names.some((s) => s === '')) throw new UsageError(`${flag} has an empty name: "${raw}"`);
    return names;
  };
  const stacks = list('--stacks', values.stacks);
  const exclude = list('--exclude', values.exclude);
  return {
    command: command as Command,
    ...(values.envFile === undefined ? {} : { envFile: values.envFile }),
    ...(values.outDir === undefined ? {} : { outDir: values.outDir }),
    ...(stacks === undefined ? {} : { stacks }),
    ...(exclude === undefined ? {} : { exclude }),
    ...(values.synthDir === undefined ? {} : { synthDir: values.synthDir }),
    ...(values.generatedAt === undefined ? {} : { generatedAt: values.generatedAt }),
  };
}

export interface CliDeps {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** Summary and usage text. */
  readonly stdout: (text: string) => void;
  /** Progress, terraform output and error messages. */
  readonly stderr: (text: string) => void;
  /** Policy gate for `deploy`. */
  readonly gate: PolicyGate;
  /** Defaults to the real terraform runner, streaming terraform's output to `stderr`. */
  readonly runner?: TerraformRunner;
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
  // Same precedence as synth (apps/main.ts reads CDKTF_OUTDIR), so the rollout finds what synth wrote.
  const synthDir =
    args.synthDir !== undefined
      ? path.resolve(deps.cwd, args.synthDir)
      : deps.env.CDKTF_OUTDIR
        ? path.resolve(deps.cwd, deps.env.CDKTF_OUTDIR)
        : defaultSynthDir(deps.cwd);
  const envFile = args.envFile ?? (deps.env.ENV_FILE || undefined);
  const environment = envFile !== undefined ? environmentNameFromFile(path.resolve(deps.cwd, envFile)) : undefined;

  let stacks: StackEntry[] = readManifest(synthDir);
  if (environment !== undefined) stacks = stacksForEnvironment(stacks, environment);
  // Order the whole environment first so dependency errors (cycles) show even for a subset.
  const ordered = orderStacks(stacks);
  let selected = selectStacks(ordered, args.stacks, environment);
  if (args.exclude !== undefined) {
    // Validated like --stacks, so a typo cannot leave the stack it meant to skip selected.
    const excluded = new Set(selectStacks(ordered, args.exclude, environment).map((s) => s.name));
    selected = selected.filter((s) => !excluded.has(s.name));
  }

  const runner =
    deps.runner ?? createTerraformRunner({ env: deps.env, onOutput: (chunk) => deps.stderr(chunk) });
  const onStack = (stack: StackEntry): void => deps.stderr(`\n==> ${args.command} ${stack.name}\n`);
  const ctx: ReportContext = { environment: environment ?? null, ...(args.generatedAt === undefined ? {} : { generatedAt: args.generatedAt }) };

  let report: RolloutReport;
  switch (args.command) {
    case 'plan':
      report = buildPlanReport(await planStacks({ stacks: selected, runner, onStack }), ctx);
      break;
    case 'drift':
      report = buildDriftReport(await detectDrift({ stacks: selected, runner, onStack }), ctx);
      break;
    case 'deploy': {
      const result = await deployStacks({ stacks: selected, runner, gate: deps.gate, onStack });
      if (result.status !== 'applied') deps.stderr(`rollout: ${result.message}\n`);
      report = buildDeployReport(result, ctx);
      break;
    }
  }

  const outDir = args.outDir !== undefined ? path.resolve(deps.cwd, args.outDir) : path.join(synthDir, 'rollout-reports');
  const markdown = renderMarkdown(report);
  mkdirSync(outDir, { recursive: true });
  writeFileSync(path.join(outDir, `${args.command}-report.json`), renderJson(report));
  writeFileSync(path.join(outDir, `${args.command}-report.md`), markdown);
  deps.stdout(markdown);
  deps.stderr(`rollout: reports written to ${path.join(outDir, `${args.command}-report.{json,md}`)}\n`);
  return report.exitCode;
}
