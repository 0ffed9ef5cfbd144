import { spawn } from 'node:child_process';

/** What one terraform invocation produced. */
export interface RunResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs one terraform subcommand in a stack's directory. An interface (not a function we call
 * directly) so unit tests substitute a fake and exercise ordering, stop-on-failure and exit-code
 * mapping without terraform or a cloud.
 */
export interface TerraformRunner {
  /** `onOutput` receives this call's output as it arrives (for per-stack logs), besides the result. */
  run(workingDirectory: string, subcommand: string, args: readonly string[], onOutput?: OutputSink): Promise<RunResult>;
}

/** Receives a process's output as it arrives. */
export type OutputSink = (chunk: string, stream: 'stdout' | 'stderr') => void;

export interface TerraformRunnerOptions {
  /** The terraform binary; default `terraform` on PATH (or `TERRAFORM_BINARY`). */
  readonly binary?: string;
  /** Environment for terraform; default `process.env`. Credentials and TF_CLI_CONFIG_FILE come from here. */
  readonly env?: NodeJS.ProcessEnv;
  /** Receives output as it arrives (e.g. to stream to the CI log); the result still has all of it. */
  readonly onOutput?: OutputSink;
}

// Subcommands that accept `-input=false`. `show`, `validate` and `output` reject unknown flags, so the
// flag cannot simply be added everywhere; TF_INPUT=0 in the environment covers anything else.
const TAKES_INPUT_FLAG = new Set(['init', 'plan', 'apply', 'refresh', 'import', 'destroy']);
const TAKES_NO_COLOR_FLAG = new Set(['init', 'plan', 'apply', 'refresh', 'import', 'destroy', 'show', 'validate', 'output', 'providers']);

/** The full argument list for one invocation; exported so tests can pin the exact command line. */
export function terraformArgs(workingDirectory: string, subcommand: string, args: readonly string[]): string[] {
  const out = [`-chdir=${workingDirectory}`, subcommand];
  // Never wait for a prompt: in CI there is nobody to answer it and the job would hang until timeout.
  if (TAKES_INPUT_FLAG.has(subcommand)) out.push('-input=false');
  // Colour codes would end up verbatim in reports and error tails.
  if (TAKES_NO_COLOR_FLAG.has(subcommand)) out.push('-no-color');
  return [...out, ...args];
}

/**
 * Runs one process without a shell (arguments need no quoting) and collects its output, passing each
 * chunk to `sinks` as it arrives. A missing binary is reported as a failed run (exit 127, like a shell)
 * rather than thrown, so it surfaces as a stack error with the reason instead of an unhandled rejection.
 */
export function runProcess(binary: string, argv: readonly string[], env: NodeJS.ProcessEnv, sinks: ReadonlyArray<OutputSink | undefined> = []): Promise<RunResult> {
  return new Promise<RunResult>((resolve) => {
    const child = spawn(binary, argv, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    const collect = (into: Buffer[], stream: 'stdout' | 'stderr') => (b: Buffer) => {
      into.push(b);
      for (const sink of sinks) sink?.(b.toString('utf8'), stream);
    };
    child.stdout.on('data', collect(stdout, 'stdout'));
    child.stderr.on('data', collect(stderr, 'stderr'));
    child.on('error', (err: NodeJS.ErrnoException) => {
      const reason = err.code === 'ENOENT' ? `binary "${binary}" not found on PATH` : err.message;
      resolve({ exitCode: 127, stdout: Buffer.concat(stdout).toString('utf8'), stderr: `${Buffer.concat(stderr).toString('utf8')}${reason}\n` });
    });
    child.on('close', (code, signal) => {
      resolve({
        exitCode: code ?? 1,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8') + (signal ? `${binary} was killed by ${signal}\n` : ''),
      });
    });
  });
}

/** The runner that spawns the real terraform binary. */
export function createTerraformRunner(options: TerraformRunnerOptions = {}): TerraformRunner {
  const baseEnv = options.env ?? process.env;
  const binary = options.binary ?? baseEnv.TERRAFORM_BINARY ?? 'terraform';
  // CHECKPOINT_DISABLE: terraform's version check calls a public endpoint that runners inside the
  // private network cannot (and should not) reach; it only adds a timeout there.
  const env = { CHECKPOINT_DISABLE: '1', ...baseEnv, TF_IN_AUTOMATION: '1', TF_INPUT: '0' };
  return {
    run: (workingDirectory, subcommand, args, onOutput) =>
      runProcess(binary, terraformArgs(workingDirectory, subcommand, args), env, [options.onOutput, onOutput]),
  };
}

/**
 * The last `lines` non-empty lines of a run's output, used in failure messages so the operator sees
 * the cause without opening the log. Terraform writes its `Error:` blocks to stderr, so stderr is
 * preferred; stdout is the fallback for failures that only print there.
 */
export function outputTail(result: RunResult, lines = 20): string {
  const source = result.stderr.trim() !== '' ? result.stderr : result.stdout;
  const nonEmpty = source
    .split(/\r?\n/)
    .map((l) => l.trimEnd())
    .filter((l) => l !== '');
  return nonEmpty.slice(-lines).join('\n');
}
