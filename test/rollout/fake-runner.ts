import { RunResult, TerraformRunner } from '../../lib/rollout/runner';

export interface Call {
  readonly dir: string;
  readonly subcommand: string;
  readonly args: readonly string[];
}

/**
 * A scripted terraform: `respond` decides each call's result from the stack directory's basename and
 * the subcommand; every call is recorded so tests can assert order and arguments.
 */
export class FakeRunner implements TerraformRunner {
  readonly calls: Call[] = [];
  constructor(private readonly respond: (stack: string, subcommand: string, args: readonly string[]) => Partial<RunResult> = () => ({})) {}

  async run(dir: string, subcommand: string, args: readonly string[]): Promise<RunResult> {
    this.calls.push({ dir, subcommand, args });
    const stack = dir.split('/').pop() ?? dir;
    const r = this.respond(stack, subcommand, args);
    return { exitCode: r.exitCode ?? 0, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
  }

  /** `stack:subcommand` per call, for compact order assertions. */
  get trace(): string[] {
    return this.calls.map((c) => `${c.dir.split('/').pop()}:${c.subcommand}`);
  }
}

export function stack(name: string, dependencies: string[] = []): { name: string; workingDirectory: string; dependencies: string[] } {
  return { name, workingDirectory: `/synth/stacks/${name}`, dependencies };
}
