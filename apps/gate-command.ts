import { existsSync, readdirSync, readFileSync, statSync } from 'fs';
import { basename, dirname, join, relative, resolve, sep } from 'path';
import { ConfigError, formatProblems } from '../lib/config/errors';
import { loadEnvironment } from '../lib/config/load';
import { EnvironmentConfig } from '../lib/config/schema';
import { formatGateSummary, GateSubject, isIsoDate, judgeStacks, loadGatePolicy, PolicyData, PolicyEnvironment, writePolicyReports } from '../lib/policy';
import { environmentStacks, policyEnvironment, policyStacks } from './policy-environment';
import { SynthOutput } from './synth';

export const GATE_USAGE = [
  'usage: npm run gate -- <cdktf.out dir> [--env-file <file>]',
  '       npm run gate -- --plan <plan.json> --env-file <file> [--stack <name>] [--report-dir <dir>]',
  'Judges an existing synthesis (every stacks/<name>/cdk.tf.json) or one saved plan (terraform show -json)',
  'with the same policies as synth and writes policy-report.{json,md,sarif}. Exit 0 passed, 3 denied,',
  '2 bad input. GATE_DATE (YYYY-MM-DD, default today) is the date expiring exceptions are judged against.',
];

interface GateArgs {
  readonly dir?: string;
  readonly plan?: string;
  readonly envFile?: string;
  readonly stack?: string;
  readonly reportDir?: string;
}

class UsageError extends Error {}

function parseArgs(argv: readonly string[]): GateArgs {
  const args: Record<string, string> = {};
  const positional: string[] = [];
  const flags: Record<string, string> = { '--plan': 'plan', '--env-file': 'envFile', '--stack': 'stack', '--report-dir': 'reportDir' };
  for (let i = 0; i < argv.length; i += 1) {
    const flag = flags[argv[i]];
    if (flag !== undefined) {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`${argv[i]} needs a value`);
      args[flag] = value;
      i += 1;
    } else if (argv[i].startsWith('--')) {
      throw new UsageError(`unknown option ${argv[i]}; allowed: ${Object.keys(flags).join(', ')}`);
    } else {
      positional.push(argv[i]);
    }
  }
  if (positional.length > 1) throw new UsageError(`one directory at most, got ${positional.join(' ')}`);
  const parsed: GateArgs = { ...args, ...(positional.length === 1 ? { dir: positional[0] } : {}) };
  if ((parsed.dir === undefined) === (parsed.plan === undefined)) throw new UsageError('give either a cdktf.out directory or --plan <plan.json>');
  if (parsed.plan !== undefined && parsed.envFile === undefined) throw new UsageError('--plan needs --env-file (the environment the plan belongs to)');
  if (parsed.dir !== undefined && (parsed.stack !== undefined || parsed.reportDir !== undefined)) {
    throw new UsageError('--stack and --report-dir go with --plan; a directory is judged whole and its reports written into it');
  }
  return parsed;
}

function readJson(file: string, what: string): unknown {
  if (!existsSync(file) || !statSync(file).isFile()) throw new UsageError(`${what} ${file} does not exist`);
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch (error) {
    throw new UsageError(`${what} ${file} is not JSON: ${(error as Error).message}`);
  }
}

/** The stack a plan file belongs to: --stack, or the one stack name among the path's segments/file name. */
function planStack(config: EnvironmentConfig, planFile: string, requested: string | undefined): PolicyData['stack'] {
  const stacks = environmentStacks(config);
  const names = stacks.map((s) => s.name);
  if (requested !== undefined) {
    const stack = stacks.find((s) => s.name === requested);
    if (!stack) throw new UsageError(`--stack ${requested} is not a stack of environment ${config.name}; allowed: ${names.join(', ')}`);
    return stack;
  }
  const segments = resolve(planFile).split(sep);
  const file = basename(planFile);
  const matches = stacks.filter((s) => segments.includes(s.name) || file.startsWith(`${s.name}.`));
  if (matches.length !== 1) throw new UsageError(`cannot tell which stack ${planFile} belongs to; name it with --stack (one of ${names.join(', ')})`);
  return matches[0];
}

function loadConfig(envFile: string, io: SynthOutput): EnvironmentConfig | undefined {
  try {
    return loadEnvironment(envFile);
  } catch (error) {
    if (error instanceof ConfigError) {
      formatProblems(error.file, error.problems).forEach((line) => io.err(line));
      io.err(`${envFile}: ${error.problems.length} problem(s); nothing was judged`);
      return undefined;
    }
    throw error;
  }
}

/** A synthesis folder: each stack with the data synth judged it with, or the data the env file gives. */
function folderSubjects(dir: string, config: EnvironmentConfig | undefined, today: string): { environment: PolicyEnvironment; subjects: GateSubject[] } {
  const stacksDir = join(dir, 'stacks');
  if (!existsSync(stacksDir)) throw new UsageError(`${dir} has no stacks/ directory (is it a cdktf output directory?)`);
  const names = readdirSync(stacksDir).filter((name) => existsSync(join(stacksDir, name, 'cdk.tf.json'))).sort();
  if (names.length === 0) throw new UsageError(`${stacksDir} holds no stack (no */cdk.tf.json)`);
  const subject = (stack: PolicyData['stack']): GateSubject => ({
    stack,
    input: readJson(join(stacksDir, stack.name, 'cdk.tf.json'), 'stack'),
    file: join('stacks', stack.name, 'cdk.tf.json'),
  });
  if (config !== undefined) {
    const refs = policyStacks(config, names);
    const unknown = names.filter((name) => !refs.some((ref) => ref.name === name));
    if (unknown.length > 0) throw new UsageError(`${stacksDir} holds stacks that environment ${config.name} does not define: ${unknown.join(', ')}`);
    return { environment: policyEnvironment(config, today), subjects: refs.map(subject) };
  }
  let environment: PolicyEnvironment | undefined;
  const subjects = names.map((name) => {
    const dataFile = join(dir, 'policy-data', `${name}.json`);
    if (!existsSync(dataFile)) throw new UsageError(`${dataFile} is missing; pass --env-file to judge ${dir} with that environment's data`);
    const data = readJson(dataFile, 'policy data') as PolicyData;
    environment = data.environment;
    if (data.stack?.name !== name) throw new UsageError(`${dataFile} describes stack ${String(data.stack?.name)}, not ${name}`);
    return subject(data.stack);
  });
  return { environment: environment!, subjects };
}

/**
 * `npm run gate`: the policy gate over an existing synthesis folder or one saved plan, with the reports
 * synth writes. Exit 0 passed, 3 denied, 2 bad input (nothing judged). `today` (YYYY-MM-DD) comes from
 * the command line (GATE_DATE or the clock), never from the gate itself.
 */
export async function gateCommand(argv: readonly string[], io: SynthOutput, today: string): Promise<0 | 2 | 3> {
  let args: GateArgs;
  try {
    args = parseArgs(argv);
    if (!isIsoDate(today)) throw new UsageError(`GATE_DATE must be a date YYYY-MM-DD, got ${today}`);
    const config = args.envFile === undefined ? undefined : loadConfig(args.envFile, io);
    if (args.envFile !== undefined && config === undefined) return 2;
    const policy = await loadGatePolicy();
    let reportDir: string;
    let environment: PolicyEnvironment;
    let subjects: GateSubject[];
    if (args.plan !== undefined) {
      const stack = planStack(config!, args.plan, args.stack);
      reportDir = args.reportDir ?? dirname(args.plan);
      environment = policyEnvironment(config!, today);
      subjects = [{ stack, input: readJson(args.plan, 'plan'), file: relative(reportDir, args.plan) }];
    } else {
      reportDir = args.dir!;
      ({ environment, subjects } = folderSubjects(args.dir!, config, today));
    }
    const report = judgeStacks(policy, environment, subjects);
    writePolicyReports(reportDir, report);
    formatGateSummary(report)
      .split('\n')
      .forEach((line) => (report.passed ? io.out(line) : io.err(line)));
    return report.passed ? 0 : 3;
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`gate: ${error.message}`);
      GATE_USAGE.forEach((line) => io.err(line));
      return 2;
    }
    throw error;
  }
}
