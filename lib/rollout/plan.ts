import { StackEntry } from './manifest';
import { PlannedChange, plannedChanges } from './plan-json';
import { TerraformRunner } from './runner';
import { planAsJson } from './steps';

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
  const outcome = await planAsJson(runner, stack.workingDirectory, 'plan', [], PLAN_FILE);
  switch (outcome.kind) {
    case 'no-changes':
      return { stack: stack.name, status: 'no-changes', changes: [] };
    case 'changes':
      return { stack: stack.name, status: 'changes', changes: plannedChanges(outcome.json) };
    case 'error':
      return { stack: stack.name, status: 'error', changes: [], error: outcome.message };
  }
}
