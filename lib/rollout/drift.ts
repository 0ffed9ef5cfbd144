import { StackEntry } from './manifest';
import { changedOutputs, DriftedResource, driftedResources } from './plan-json';
import { TerraformRunner } from './runner';
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
  readonly stacks: readonly StackEntry[];
  readonly runner: TerraformRunner;
  /** Called before each stack, e.g. to log progress. */
  readonly onStack?: (stack: StackEntry) => void;
}

// Written next to cdk.tf.json and removed after reading: a plan file contains the full state,
// secrets included, so it must never land in the report directory that CI uploads.
const PLAN_FILE = 'rollout-drift.tfplan';

/**
 * Checks every stack for drift: a refresh-only plan (reads real infrastructure, changes nothing, not
 * even state) with `-detailed-exitcode` (0 in sync, 1 error, 2 "maybe"), then `terraform show -json`
 * of that plan to name the drifted resources and attributes. Stacks are checked one after another in
 * the given order and a failing stack does not stop the others: a drift report should cover as much
 * of the environment as it can.
 */
export async function detectDrift(options: DriftOptions): Promise<StackDrift[]> {
  const results: StackDrift[] = [];
  for (const stack of options.stacks) {
    options.onStack?.(stack);
    results.push(await driftOfStack(options.runner, stack));
  }
  return results;
}

async function driftOfStack(runner: TerraformRunner, stack: StackEntry): Promise<StackDrift> {
  const inSync: StackDrift = { stack: stack.name, status: 'in-sync', resources: [], outputs: [] };
  const outcome = await planAsJson(runner, stack.workingDirectory, 'plan -refresh-only', ['-refresh-only'], PLAN_FILE);
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
