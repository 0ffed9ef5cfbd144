import { rmSync } from 'node:fs';
import * as path from 'node:path';
import { StackEntry } from './manifest';
import { changedOutputs, DriftedResource, driftedResources } from './plan-json';
import { TerraformRunner } from './runner';
import { describeFailure, initStack, LOCK_TIMEOUT, stepFailure } from './steps';

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
  const error = (message: string): StackDrift => ({ stack: stack.name, status: 'error', resources: [], outputs: [], error: message });
  const planPath = path.join(stack.workingDirectory, PLAN_FILE);
  try {
    const initFailure = await initStack(runner, stack.workingDirectory);
    if (initFailure) return error(describeFailure(initFailure));

    const plan = await runner.run(stack.workingDirectory, 'plan', [
      '-refresh-only',
      '-detailed-exitcode',
      `-lock-timeout=${LOCK_TIMEOUT}`,
      `-out=${PLAN_FILE}`,
    ]);
    if (plan.exitCode === 0) return { stack: stack.name, status: 'in-sync', resources: [], outputs: [] };
    if (plan.exitCode !== 2) return error(describeFailure(stepFailure('plan -refresh-only', plan)));

    const show = await runner.run(stack.workingDirectory, 'show', ['-json', PLAN_FILE]);
    if (show.exitCode !== 0) return error(describeFailure(stepFailure('show -json', show)));
    let json: unknown;
    try {
      json = JSON.parse(show.stdout);
    } catch (err) {
      return error(`terraform show -json printed something that is not JSON: ${(err as Error).message}`);
    }
    const resources = driftedResources(json);
    const outputs = changedOutputs(json);
    // Exit 2 alone is not proof of drift: a refresh-only plan also exits 2 when only invisible state
    // details changed (provider-private data, normalized values), e.g. right after an apply with
    // hashicorp/aws 5.100 (seen here; upstream hashicorp/terraform#36403, #35117). The plan JSON is the
    // authority: drift means a resource in resource_drift or an output that would change.
    if (resources.length === 0 && outputs.length === 0) return { stack: stack.name, status: 'in-sync', resources: [], outputs: [] };
    return { stack: stack.name, status: 'drifted', resources, outputs };
  } catch (err) {
    return error((err as Error).message);
  } finally {
    rmSync(planPath, { force: true });
  }
}
