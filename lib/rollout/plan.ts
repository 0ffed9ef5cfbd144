import { rmSync } from 'node:fs';
import * as path from 'node:path';
import { StackEntry } from './manifest';
import { PlannedChange, plannedChanges } from './plan-json';
import { TerraformRunner } from './runner';
import { describeFailure, initStack, LOCK_TIMEOUT, stepFailure } from './steps';

export type PlanStatus = 'no-changes' | 'changes' | 'error';

export interface StackPlan {
  readonly stack: string;
  readonly status: PlanStatus;
  /** Resources the plan would change, sorted by address (no-ops left out). */
  readonly changes: readonly PlannedChange[];
  readonly error?: string;
}

export interface PlanOptions {
  readonly stacks: readonly StackEntry[];
  readonly runner: TerraformRunner;
  readonly onStack?: (stack: StackEntry) => void;
}

// Kept beside cdk.tf.json only while it is read (it holds state values, secrets included).
const PLAN_FILE = 'rollout-plan.tfplan';

/**
 * `terraform plan` for every stack, in order, continuing past failures so a reviewer sees every
 * stack's plan. A stack that reads another stack's outputs cannot plan until that stack is applied;
 * it is reported as an error with terraform's own message.
 */
export async function planStacks(options: PlanOptions): Promise<StackPlan[]> {
  const results: StackPlan[] = [];
  for (const stack of options.stacks) {
    options.onStack?.(stack);
    results.push(await planOfStack(options.runner, stack));
  }
  return results;
}

async function planOfStack(runner: TerraformRunner, stack: StackEntry): Promise<StackPlan> {
  const error = (message: string): StackPlan => ({ stack: stack.name, status: 'error', changes: [], error: message });
  try {
    const initFailure = await initStack(runner, stack.workingDirectory);
    if (initFailure) return error(describeFailure(initFailure));

    const plan = await runner.run(stack.workingDirectory, 'plan', ['-detailed-exitcode', `-lock-timeout=${LOCK_TIMEOUT}`, `-out=${PLAN_FILE}`]);
    if (plan.exitCode === 0) return { stack: stack.name, status: 'no-changes', changes: [] };
    if (plan.exitCode !== 2) return error(describeFailure(stepFailure('plan', plan)));

    const show = await runner.run(stack.workingDirectory, 'show', ['-json', PLAN_FILE]);
    if (show.exitCode !== 0) return error(describeFailure(stepFailure('show -json', show)));
    let json: unknown;
    try {
      json = JSON.parse(show.stdout);
    } catch (err) {
      return error(`terraform show -json printed something that is not JSON: ${(err as Error).message}`);
    }
    return { stack: stack.name, status: 'changes', changes: plannedChanges(json) };
  } catch (err) {
    return error((err as Error).message);
  } finally {
    rmSync(path.join(stack.workingDirectory, PLAN_FILE), { force: true });
  }
}
