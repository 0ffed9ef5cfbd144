import { RolloutError } from './errors';
import { StackEntry } from './manifest';
import { TerraformRunner } from './runner';
import { describeFailure, initStack, LOCK_TIMEOUT, StepFailure, stepFailure } from './steps';

export type DestroyStatus = 'destroyed' | 'failed' | 'refused';

export interface DestroyResult {
  readonly status: DestroyStatus;
  /** Stacks destroyed, in the order they were destroyed. */
  readonly destroyed: readonly string[];
  readonly failed?: { readonly stack: string } & StepFailure;
  readonly notAttempted: readonly string[];
  readonly message: string;
}

/**
 * The order to destroy `selected` in: dependents before what they depend on (the reverse of `ordered`,
 * the environment's dependency order). Refuses a selection that leaves behind a synthesized stack
 * reading one of the destroyed stacks' outputs: its next plan would fail, or worse, act on nothing.
 */
export function destroyOrder(ordered: readonly StackEntry[], selected: readonly StackEntry[]): StackEntry[] {
  const chosen = new Set(selected.map((s) => s.name));
  const stranded = ordered.filter((s) => !chosen.has(s.name) && s.dependencies.some((d) => chosen.has(d)));
  if (stranded.length > 0) {
    throw new RolloutError(
      `cannot destroy ${[...chosen].join(', ')} alone: ${stranded.map((s) => `${s.name} reads ${s.dependencies.filter((d) => chosen.has(d)).join(', ')}`).join('; ')}. ` +
        'Destroy those too (add them to --stacks) or keep what they read',
    );
  }
  return [...ordered].reverse().filter((s) => chosen.has(s.name));
}

/**
 * `terraform destroy` per stack in the given order (see `destroyOrder`), one at a time, stopping at the
 * first failure so a stack is never destroyed while something that depends on it is still there.
 */
export async function destroyStacks(stacks: readonly StackEntry[], runner: TerraformRunner, log: (text: string) => void): Promise<DestroyResult> {
  const names = stacks.map((s) => s.name);
  const destroyed: string[] = [];
  for (const [index, stack] of stacks.entries()) {
    log(`\n==> destroy ${stack.name}\n`);
    const output = (chunk: string): void => log(chunk);
    let failure = await initStack(runner, stack.workingDirectory, output);
    if (!failure) {
      const result = await runner.run(stack.workingDirectory, 'destroy', ['-auto-approve', `-lock-timeout=${LOCK_TIMEOUT}`], output);
      if (result.exitCode !== 0) failure = stepFailure('destroy', result);
    }
    if (failure) {
      const rest = names.slice(index + 1);
      return {
        status: 'failed',
        destroyed,
        failed: { stack: stack.name, ...failure },
        notAttempted: rest,
        message: `destroy stopped at stack "${stack.name}": ${describeFailure(failure)}\ndestroyed before it: ${destroyed.join(', ') || 'none'}; not attempted: ${rest.join(', ') || 'none'}`,
      };
    }
    destroyed.push(stack.name);
  }
  return { status: 'destroyed', destroyed, notAttempted: [], message: `destroyed: ${destroyed.join(', ')}` };
}
