import { StackEntry } from './manifest';
import { changedOutputs, DriftedResource, driftedResources } from './plan-json';
import { OutputSink, TerraformRunner } from './runner';
import { runScheduled } from './schedule';
import { planAsJson } from './steps';

export type DriftStatus = 'in-sync' | 'drifted' | 'error';

export interface StackDrift {
  readonly stack: string;
  readonly status: DriftStatus;
  /** Drifted resources, sorted by address (empty unless `drifted`). */
  readonly resources: readonly DriftedResource[];
  /** Outputs whose value would change after a refresh, sorted. */
  readonly outputs: readonly string[];
  /** Why the stack could not be checked (only for `error`). */
  readonly error?: string;
}

export interface DriftOptions {
  /** In dependency order. */
  readonly stacks: readonly StackEntry[];
  readonly runner: TerraformRunner;
  /** Tenant stacks checked at once (shared stacks always one at a time). */
  readonly parallel: number;
  readonly log: (text: string) => void;
}

// Written next to cdk.tf.json and removed after reading: a plan file contains the full state,
// secrets included, so it must never land in the report directory that CI uploads.
const PLAN_FILE = 'rollout-drift.tfplan';

/**
 * Checks every stack for drift: a refresh-only plan (reads real infrastructure, changes nothing, not
 * even state) with `-detailed-exitcode` (0 in sync, 1 error, 2 "maybe"), then `terraform show -json`
 * of that plan to name the drifted resources and attributes. Shared stacks are checked in order, then
 * tenants `parallel` at a time; results come back in the given order. A failing stack does not stop
 * the others: a drift report should cover as much of the environment as it can.
 */
export async function detectDrift(options: DriftOptions): Promise<StackDrift[]> {
  const results = await runScheduled((stack, output) => driftOfStack(options.runner, stack, output), {
    stacks: options.stacks,
    parallel: options.parallel,
    log: options.log,
    label: 'drift',
  });
  return results.map((r) => r!);
}

async function driftOfStack(runner: TerraformRunner, stack: StackEntry, output: OutputSink): Promise<StackDrift> {
  const inSync: StackDrift = { stack: stack.name, status: 'in-sync', resources: [], outputs: [] };
  const outcome = await planAsJson(runner, stack.workingDirectory, 'plan -refresh-only', ['-refresh-only'], PLAN_FILE, { output });
  if (outcome.kind === 'error') return { stack: stack.name, status: 'error', resources: [], outputs: [], error: outcome.message };
  if (outcome.kind === 'no-changes') return inSync;
  const resources = driftedResources(outcome.json);
  const outputs = changedOutputs(outcome.json);
  // Exit 2 alone is not proof of drift: a refresh-only plan also exits 2 when only invisible state
  // details changed (provider-private data, normalized values), e.g. right after an apply with
  // hashicorp/aws 5.100 (seen here; upstream hashicorp/terraform#36403, #35117). The plan JSON is the
  // authority: drift means a resource in resource_drift or an output that would change.
  if (resources.length === 0 && outputs.length === 0) return inSync;
  return { stack: stack.name, status: 'drifted', resources, outputs };
}
