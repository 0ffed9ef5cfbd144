import { StackEntry } from './manifest';
import { TerraformRunner } from './runner';
import { describeFailure, initStack, LOCK_TIMEOUT, StepFailure, stepFailure } from './steps';

/** The policy gate: resolves true when the synthesized configuration may be rolled out. */
export type PolicyGate = () => Promise<boolean>;

export type DeployStatus = 'applied' | 'blocked' | 'failed';

export interface DeployResult {
  readonly status: DeployStatus;
  /** Stacks applied successfully, in order. */
  readonly applied: readonly string[];
  /** The stack that failed and how (only for `failed`). */
  readonly failed?: { readonly stack: string } & StepFailure;
  /** Stacks never started because the gate blocked or an earlier stack failed. */
  readonly notAttempted: readonly string[];
  /** One human-readable paragraph: what happened and, on failure, terraform's error tail. */
  readonly message: string;
}

export interface DeployOptions {
  readonly stacks: readonly StackEntry[];
  readonly runner: TerraformRunner;
  /** Runs before any terraform command; false or a thrown error blocks the whole deploy. */
  readonly gate: PolicyGate;
  readonly onStack?: (stack: StackEntry) => void;
}

/**
 * Gate, then `init` + `apply` per stack in the given (dependency) order, stopping at the first
 * failure: later stacks read earlier stacks' outputs, so applying them against a half-applied
 * dependency would at best fail confusingly and at worst act on stale values.
 */
export async function deployStacks(options: DeployOptions): Promise<DeployResult> {
  const names = options.stacks.map((s) => s.name);

  let allowed: boolean;
  let gateError: string | undefined;
  try {
    allowed = (await options.gate()) === true;
  } catch (err) {
    // Fail closed: a gate that cannot decide has not said yes.
    allowed = false;
    gateError = (err as Error).message;
  }
  if (!allowed) {
    return {
      status: 'blocked',
      applied: [],
      notAttempted: names,
      message: `deploy blocked by the policy gate${gateError ? `: ${gateError}` : ''}; no stack was touched`,
    };
  }

  const applied: string[] = [];
  for (const [index, stack] of options.stacks.entries()) {
    options.onStack?.(stack);
    let failure = await initStack(options.runner, stack.workingDirectory);
    if (!failure) {
      const apply = await options.runner.run(stack.workingDirectory, 'apply', ['-auto-approve', `-lock-timeout=${LOCK_TIMEOUT}`]);
      if (apply.exitCode !== 0) failure = stepFailure('apply', apply);
    }
    if (failure) {
      const rest = names.slice(index + 1);
      return {
        status: 'failed',
        applied,
        failed: { stack: stack.name, ...failure },
        notAttempted: rest,
        message:
          `deploy stopped at stack "${stack.name}": ${describeFailure(failure)}\n` +
          `applied before it: ${applied.join(', ') || 'none'}; not attempted: ${rest.join(', ') || 'none'}`,
      };
    }
    applied.push(stack.name);
  }
  return { status: 'applied', applied, notAttempted: [], message: `deployed ${applied.length} stack(s): ${applied.join(', ') || 'none'}` };
}
