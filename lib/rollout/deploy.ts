import * as path from 'node:path';
import { StackEntry } from './manifest';
import { checkPlanDir, PlannedStack, PlanRefusal } from './plan-dir';
import { PlanGate } from './plan-gate';
import { TerraformRunner } from './runner';
import { runScheduled } from './schedule';
import { orphanedStacks, StateInventory } from './state-inventory';
import { describeFailure, initStack, LOCK_TIMEOUT, StepFailure, stepFailure } from './steps';

/**
 * `applied`: every selected stack applied (or had nothing to apply); `refused`: the plan directory may not
 * be applied (nothing touched); `failed`: a stack failed (stopped there); `replan`: a stack's apply
 * changed outputs that later stacks were planned against, so the run stopped for a new plan.
 */
export type DeployStatus = 'applied' | 'refused' | 'failed' | 'replan';

export interface DeployResult {
  readonly status: DeployStatus;
  /** Stacks applied successfully, in order. */
  readonly applied: readonly string[];
  /** Stacks whose saved plan had no changes (nothing to apply), in order. */
  readonly unchanged: readonly string[];
  /** The stack that failed and how (only for `failed`). */
  readonly failed?: { readonly stack: string } & StepFailure;
  /** Stacks never started, in order. */
  readonly notAttempted: readonly string[];
  /** One human-readable paragraph: what happened and what to do. */
  readonly message: string;
}

export interface DeployOptions {
  /** Every stack of the current synth (to check the plans came from it). */
  readonly allStacks: readonly StackEntry[];
  /** Stacks to apply, in dependency order. */
  readonly selected: readonly StackEntry[];
  readonly synthDir: string;
  /** What `plan` saved. */
  readonly planDir: string;
  readonly runner: TerraformRunner;
  readonly gate: PlanGate;
  /** The state backend's inventory, to notice removed stacks; undefined when it cannot be listed. */
  readonly inventory?: StateInventory;
  readonly parallel: number;
  readonly log: (text: string) => void;
  /** The environment's name (from --env-file), or null when the whole manifest is used. */
  readonly environment: string | null;
}

type StackOutcome = { readonly kind: 'applied' | 'unchanged'; readonly replanFor: readonly string[] } | { readonly kind: 'failed'; readonly failure: StepFailure };

/**
 * Applies exactly the plans `plan` saved in `planDir` (`terraform apply <planfile>`), in dependency
 * order (tenants `parallel` at a time). Before touching anything it refuses a plan directory made
 * from another synth, missing a selected stack, holding a failed plan, or whose gate did not pass; it
 * judges the saved plan JSON again (the gate always judges what is applied); and it refuses while the
 * backend holds state of a stack this synth no longer has (a removed tenant), naming the destroy
 * command. Stops at the first failure: later stacks read earlier stacks' outputs.
 */
export async function deployStacks(options: DeployOptions): Promise<DeployResult> {
  const names = options.selected.map((s) => s.name);
  const refused = (message: string): DeployResult => ({ status: 'refused', applied: [], unchanged: [], notAttempted: names, message: `deploy refused: ${message}; no stack was touched` });

  let planned: Map<string, PlannedStack>;
  try {
    planned = checkPlanDir(options.planDir, options.allStacks, options.selected);
  } catch (err) {
    if (err instanceof PlanRefusal) return refused(err.message);
    throw err;
  }
  const toJudge = options.selected.filter((s) => planned.get(s.name)!.status === 'changes');
  const verdict = await options.gate({
    synthDir: options.synthDir,
    plans: toJudge.map((s) => ({ stack: s.name, planJsonFile: path.join(options.planDir, planned.get(s.name)!.planJson!) })),
    reportDir: options.planDir,
  });
  options.log(`${verdict.summary}\n`);
  if (!verdict.passed) return refused(`the policy gate denies the saved plans (see ${path.join(options.planDir, 'policy-report.md')})`);

  if (options.inventory !== undefined) {
    const orphans = await orphanedStacks(options.inventory, options.allStacks.map((s) => s.name), options.environment);
    if (orphans.length > 0) {
      return refused(
        `${options.inventory.location} holds state with live resources for ${orphans.join(', ')}, which this synth no longer has ` +
          `(removed from the environment file?). Destroy them first: npm run destroy -- --stacks ${orphans.join(',')} ` +
          '(from a synth that still has them, see docs/rollout.md "Removing a tenant"), or put them back in the file',
      );
    }
  }

  const dependents = (stack: string): string[] => options.selected.filter((s) => s.dependencies.includes(stack)).map((s) => s.name);
  const results = await runScheduled<StackOutcome>(
    async (stack, output) => {
      const saved = planned.get(stack.name)!;
      const replanFor = saved.outputsChange ? dependents(stack.name) : [];
      if (saved.status === 'no-changes') return { kind: 'unchanged', replanFor };
      const init = await initStack(options.runner, stack.workingDirectory, output);
      if (init) return { kind: 'failed', failure: init };
      const apply = await options.runner.run(stack.workingDirectory, 'apply', [`-lock-timeout=${LOCK_TIMEOUT}`, path.join(options.planDir, saved.planFile!)], output);
      return apply.exitCode === 0 ? { kind: 'applied', replanFor } : { kind: 'failed', failure: stepFailure('apply', apply) };
    },
    { stacks: options.selected, parallel: options.parallel, log: options.log, label: 'apply', stopsTheRun: (r) => r.kind === 'failed' || r.replanFor.length > 0 },
  );

  const of = (kind: string): string[] => names.filter((_, i) => results[i]?.kind === kind);
  const applied = of('applied');
  const unchanged = of('unchanged');
  const notAttempted = names.filter((_, i) => results[i] === undefined);
  const done = `applied: ${applied.join(', ') || 'none'}; unchanged: ${unchanged.join(', ') || 'none'}; not attempted: ${notAttempted.join(', ') || 'none'}`;

  const failedIndex = results.findIndex((r) => r?.kind === 'failed');
  if (failedIndex >= 0) {
    const failure = (results[failedIndex] as { failure: StepFailure }).failure;
    const stack = names[failedIndex];
    return { status: 'failed', applied, unchanged, failed: { stack, ...failure }, notAttempted, message: `deploy stopped at stack "${stack}": ${describeFailure(failure)}\n${done}` };
  }
  const replanIndex = results.findIndex((r) => r !== undefined && r.kind !== 'failed' && r.replanFor.length > 0);
  if (replanIndex >= 0) {
    const outcome = results[replanIndex] as { replanFor: readonly string[] };
    return {
      status: 'replan',
      applied,
      unchanged,
      notAttempted,
      message:
        `deploy stopped after "${names[replanIndex]}": it changed outputs that ${outcome.replanFor.join(', ')} read, and their saved plans ` +
        `used the old values. Plan again (npm run plan) and deploy that plan for the rest.\n${done}`,
    };
  }
  return { status: 'applied', applied, unchanged, notAttempted: [], message: `deployed: ${done}` };
}
