import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { StackEntry } from './manifest';
import { configHash, PlannedStack, planFileOf, planJsonOf, PlanManifest, resetPlanDir, sha256, synthIdentity, writePlanManifest } from './plan-dir';
import { GateVerdict, PlanGate } from './plan-gate';
import { changedOutputs, PlannedChange, plannedChanges } from './plan-json';
import { OutputSink, TerraformRunner } from './runner';
import { runScheduled } from './schedule';
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
  /** Every stack of the synth (for its identity); `selected` is what gets planned. */
  readonly allStacks: readonly StackEntry[];
  /** In dependency order. */
  readonly selected: readonly StackEntry[];
  readonly runner: TerraformRunner;
  readonly synthDir: string;
  /** Where plan files, plan JSON, the gate's report and plan-manifest.json are written. */
  readonly planDir: string;
  readonly gate: PlanGate;
  readonly parallel: number;
  readonly log: (text: string) => void;
  readonly environment: string | null;
}

export interface PlanOutcome {
  readonly stacks: readonly StackPlan[];
  /** Undefined when a stack failed to plan (a partial plan is not judged: it cannot be deployed). */
  readonly gate?: GateVerdict;
}

/**
 * `terraform plan -out` for every selected stack into `planDir` (shared stacks in order, tenants
 * `parallel` at a time), continuing past failures so a reviewer sees every stack's plan; then the
 * policy gate over the plan JSON; then `plan-manifest.json`, which ties the plans to this synth and
 * records the gate's verdict for `deploy --plan-dir`.
 *
 * A stack that reads another stack's outputs cannot plan until that stack has been applied: on a fresh
 * environment plan and deploy one layer at a time (docs/rollout.md).
 */
export async function planStacks(options: PlanOptions): Promise<PlanOutcome> {
  resetPlanDir(options.planDir);
  const identity = synthIdentity(options.allStacks);
  const results = await runScheduled((stack, output) => planOfStack(options, stack, output), {
    stacks: options.selected,
    parallel: options.parallel,
    log: options.log,
    label: 'plan',
  });
  const planned = results.map((r) => r!);
  const stacks = planned.map((p) => p.report);

  let gate: GateVerdict | undefined;
  if (planned.every((p) => p.report.status !== 'error')) {
    const plans = planned.filter((p) => p.report.status === 'changes').map((p) => ({ stack: p.report.stack, planJsonFile: path.join(options.planDir, planJsonOf(p.report.stack)) }));
    gate = await options.gate({ synthDir: options.synthDir, plans, reportDir: options.planDir });
    options.log(`${gate.summary}\n`);
  }
  const manifest: PlanManifest = {
    version: 1,
    environment: options.environment,
    synthIdentity: identity,
    gate: { passed: gate?.passed === true },
    stacks: planned.map((p) => p.saved),
  };
  writePlanManifest(options.planDir, manifest);
  return { stacks, ...(gate === undefined ? {} : { gate }) };
}

async function planOfStack(options: PlanOptions, stack: StackEntry, output: OutputSink): Promise<{ report: StackPlan; saved: PlannedStack }> {
  const configSha256 = configHash(stack);
  const planFile = path.join(options.planDir, planFileOf(stack.name));
  const outcome = await planAsJson(options.runner, stack.workingDirectory, 'plan', [], planFile, { keepPlanFile: true, output });
  switch (outcome.kind) {
    case 'no-changes':
      return { report: { stack: stack.name, status: 'no-changes', changes: [] }, saved: { name: stack.name, status: 'no-changes', configSha256, outputsChange: false } };
    case 'error':
      return {
        report: { stack: stack.name, status: 'error', changes: [], error: outcome.message },
        saved: { name: stack.name, status: 'error', configSha256, outputsChange: false },
      };
    case 'changes': {
      writeFileSync(path.join(options.planDir, planJsonOf(stack.name)), outcome.text);
      return {
        report: { stack: stack.name, status: 'changes', changes: plannedChanges(outcome.json) },
        saved: {
          name: stack.name,
          status: 'changes',
          configSha256,
          planFile: planFileOf(stack.name),
          planFileSha256: sha256(readFileSync(planFile)),
          planJson: planJsonOf(stack.name),
          planJsonSha256: sha256(outcome.text),
          outputsChange: changedOutputs(outcome.json).length > 0,
        },
      };
    }
  }
}
