import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { RolloutError } from './errors';
import { StackEntry } from './manifest';

/**
 * A plan directory: what `plan` saved and `deploy --plan-dir` applies.
 *
 *   plan-manifest.json         which synth the plans came from, each stack's status and file hashes,
 *                              and whether the policy gate passed (written last: no manifest, no plan)
 *   stacks/<stack>.tfplan      `terraform plan -out` (what `terraform apply <planfile>` applies)
 *   stacks/<stack>.plan.json   `terraform show -json` of that plan file (what the gate judged)
 *   policy-report.{json,md,sarif}  the gate's verdict over the plan JSON
 *
 * Plan files and plan JSON hold state values, secrets included: keep the directory where the state
 * is (runner disk, short-lived CI artifacts), never in a report that is published.
 */
export const PLAN_MANIFEST = 'plan-manifest.json';

export type PlannedStatus = 'changes' | 'no-changes' | 'error';

export interface PlannedStack {
  readonly name: string;
  readonly status: PlannedStatus;
  /** sha256 of the stack's cdk.tf.json the plan was made from. */
  readonly configSha256: string;
  /** Relative to the plan directory; only for `changes`. */
  readonly planFile?: string;
  readonly planFileSha256?: string;
  readonly planJson?: string;
  readonly planJsonSha256?: string;
  /** The plan changes an output: stacks reading it were planned against the old value. */
  readonly outputsChange: boolean;
}

export interface PlanManifest {
  readonly version: 1;
  readonly environment: string | null;
  /** `synthIdentity` of the synth directory planned. */
  readonly synthIdentity: string;
  readonly gate: { readonly passed: boolean };
  /** In dependency order. */
  readonly stacks: readonly PlannedStack[];
}

export const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

/** sha256 of one stack's synthesized configuration. */
export function configHash(stack: StackEntry): string {
  const file = path.join(stack.workingDirectory, 'cdk.tf.json');
  if (!existsSync(file)) throw new RolloutError(`${file} is missing: synthesize again (npm run synth)`);
  return sha256(readFileSync(file));
}

/**
 * The identity of a synth: a hash over every stack's name and configuration hash, sorted. It depends
 * only on what was synthesized (synth is deterministic and writes no time), not on when or where, so
 * the same commit and environment file give the same identity on any runner.
 */
export function synthIdentity(stacks: readonly StackEntry[]): string {
  const lines = stacks.map((s) => `${s.name}\u0000${configHash(s)}\n`).sort();
  return sha256(lines.join(''));
}

export const planFileOf = (stack: string): string => path.join('stacks', `${stack}.tfplan`);
export const planJsonOf = (stack: string): string => path.join('stacks', `${stack}.plan.json`);

/** What a plan directory holds; anything else means the directory is not one. */
const PLAN_DIR_ENTRIES = new Set([PLAN_MANIFEST, 'stacks', 'policy-report.json', 'policy-report.md', 'policy-report.sarif']);

/**
 * Empties what a previous plan left in `planDir`, so no old plan file can be mixed with new ones.
 * Refuses a directory holding anything else (`--plan-dir .` must not empty the checkout's `stacks/`).
 */
export function resetPlanDir(planDir: string): void {
  const foreign = existsSync(planDir) ? readdirSync(planDir).filter((entry) => !PLAN_DIR_ENTRIES.has(entry)).sort() : [];
  if (foreign.length > 0) {
    throw new RolloutError(`${planDir} is not a plan directory (it holds ${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? ', ...' : ''}); give --plan-dir an empty or new directory`);
  }
  rmSync(path.join(planDir, PLAN_MANIFEST), { force: true });
  rmSync(path.join(planDir, 'stacks'), { recursive: true, force: true });
  mkdirSync(path.join(planDir, 'stacks'), { recursive: true });
}

export function writePlanManifest(planDir: string, manifest: PlanManifest): void {
  writeFileSync(path.join(planDir, PLAN_MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
}

export function readPlanManifest(planDir: string): PlanManifest {
  const file = path.join(planDir, PLAN_MANIFEST);
  if (!existsSync(file)) {
    throw new PlanRefusal(`${planDir} holds no saved plan (no ${PLAN_MANIFEST}): run npm run plan -- --plan-dir ${planDir} first, and deploy what it saved`);
  }
  let manifest: PlanManifest;
  try {
    manifest = JSON.parse(readFileSync(file, 'utf8')) as PlanManifest;
  } catch (err) {
    throw new PlanRefusal(`${file} is not valid JSON (${(err as Error).message}); plan again`);
  }
  if (manifest.version !== 1 || !Array.isArray(manifest.stacks) || typeof manifest.synthIdentity !== 'string') {
    throw new PlanRefusal(`${file} is not a plan manifest this version understands; plan again`);
  }
  return manifest;
}

/** Deploy may not apply this plan directory; nothing was touched. */
export class PlanRefusal extends RolloutError {
  constructor(message: string) {
    super(message);
    this.name = 'PlanRefusal';
  }
}

/**
 * Checks that `planDir` holds exactly what may be applied to `selected` (stacks of the current synth,
 * in order) and returns each stack's saved plan. Refuses (PlanRefusal) a plan made from another synth,
 * one missing a selected stack or holding a failed plan, one whose gate did not pass, or one whose files
 * changed since they were planned.
 */
export function checkPlanDir(planDir: string, allStacks: readonly StackEntry[], selected: readonly StackEntry[]): Map<string, PlannedStack> {
  const manifest = readPlanManifest(planDir);
  const planned = new Map(manifest.stacks.map((s) => [s.name, s]));

  if (manifest.synthIdentity !== synthIdentity(allStacks)) {
    const changed = allStacks.filter((s) => planned.has(s.name) && planned.get(s.name)!.configSha256 !== configHash(s)).map((s) => s.name);
    throw new PlanRefusal(
      `the plans in ${planDir} were made from a different synth than the one being deployed` +
        `${changed.length > 0 ? ` (configuration changed: ${changed.join(', ')})` : ' (stacks were added or removed)'}; ` +
        'plan again from this synth and review that plan',
    );
  }
  const missing = selected.filter((s) => !planned.has(s.name)).map((s) => s.name);
  if (missing.length > 0) {
    throw new PlanRefusal(
      `${planDir} has no plan for ${missing.join(', ')} (it holds: ${manifest.stacks.map((s) => s.name).join(', ') || 'none'}); ` +
        'plan the same stacks you deploy (same --stacks/--exclude)',
    );
  }
  const failed = selected.filter((s) => planned.get(s.name)!.status === 'error').map((s) => s.name);
  if (failed.length > 0) throw new PlanRefusal(`${failed.join(', ')} failed to plan (see plan-report.md); fix that and plan again`);
  if (!manifest.gate.passed) throw new PlanRefusal(`the policy gate did not pass on the plans in ${planDir} (see ${path.join(planDir, 'policy-report.md')})`);

  for (const stack of selected) {
    const p = planned.get(stack.name)!;
    if (p.status !== 'changes') continue;
    for (const [file, hash] of [
      [p.planFile, p.planFileSha256],
      [p.planJson, p.planJsonSha256],
    ] as const) {
      const full = path.join(planDir, file ?? '');
      if (file === undefined || !existsSync(full) || sha256(readFileSync(full)) !== hash) {
        throw new PlanRefusal(`${full} is missing or changed since it was planned; plan again`);
      }
    }
  }
  return planned;
}
