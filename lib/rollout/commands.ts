import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { deployStacks } from './deploy';
import { destroyOrder, destroyStacks } from './destroy';
import { StackEntry } from './manifest';
import { notOffboardedInSynth, offboardingNotApplied } from './offboarding-gate';
import { isTenantStack } from './order';
import { planStacks } from './plan';
import { PlanGate } from './plan-gate';
import { DeployPreflight } from './preflight';
import { removalsOf } from './removals';
import { buildDeployReport, buildDestroyReport, buildPlanReport, DeployReport, DestroyReport, PlanReport, renderJson, renderMarkdown, ReportContext, RolloutReport } from './report';
import { runProcess, TerraformRunner } from './runner';
import { inventoryFromSynth, StateInventory } from './state-inventory';

/**
 * The bodies of `plan`, `deploy` and `destroy`, shared by their commands (lib/rollout/cli.ts) and by
 * `offboard` (lib/rollout/offboard.ts), so removing a tenant goes through exactly the checks every
 * plan, apply and destroy goes through: the policy gate on the plan JSON, the saved plan, the preflight,
 * the removed-stack check, the offboarding gate, the confirmation.
 */

/** What the commands need from the process (CliDeps in lib/rollout/cli.ts). */
export interface CommandDeps {
  readonly env: NodeJS.ProcessEnv;
  readonly stdout: (text: string) => void;
  /** The policy gate over plan JSON (`plan` records its verdict, `deploy` judges again). */
  readonly gate: PlanGate;
  /**
   * The state backend's inventory for the environment's stacks (in order), for the tenant-removal check;
   * defaults to listing the backend of the synthesized stacks with the cloud CLI.
   */
  readonly inventory?: (stacks: readonly StackEntry[]) => StateInventory | undefined;
  /** Whether stdin is a terminal someone can answer a confirmation on. */
  readonly stdinIsTTY: boolean;
  /** Asks a question on the terminal and resolves to the answer. */
  readonly ask?: (question: string) => Promise<string>;
  /** Checks the cloud account's prerequisites before a deploy touches anything; defaults to none. */
  readonly preflight?: DeployPreflight;
}

/** One command's run over one synth. */
export interface CommandRun {
  /** Every stack of the environment in the synth. */
  readonly stacks: readonly StackEntry[];
  /** The same, in dependency order. */
  readonly ordered: readonly StackEntry[];
  readonly synthDir: string;
  readonly planDir: string;
  readonly runner: TerraformRunner;
  readonly log: (text: string) => void;
  readonly environment: string | null;
  readonly report: ReportContext;
}

export async function planCommand(run: CommandRun, deps: CommandDeps, selected: readonly StackEntry[], parallel: number): Promise<PlanReport> {
  mkdirSync(run.planDir, { recursive: true });
  const outcome = await planStacks({ allStacks: run.stacks, selected, runner: run.runner, synthDir: run.synthDir, planDir: run.planDir, gate: deps.gate, parallel, log: run.log, environment: run.environment });
  run.log(`rollout: plans saved in ${run.planDir}\n`);
  return buildPlanReport(outcome, run.report);
}

export async function deployCommand(run: CommandRun, deps: CommandDeps, selected: readonly StackEntry[], parallel: number): Promise<DeployReport> {
  run.log(`rollout: deploying the plans saved in ${run.planDir}\n`);
  const notReady = deps.preflight ? await deps.preflight(run.ordered) : undefined;
  if (notReady !== undefined) {
    const result = { status: 'refused' as const, applied: [], unchanged: [], notAttempted: selected.map((s) => s.name), message: `deploy refused: ${notReady}\nno stack was touched` };
    run.log(`rollout: ${result.message}\n`);
    return buildDeployReport(result, run.report);
  }
  const inventory = (deps.inventory ?? defaultInventory(deps.env))(run.ordered);
  if (inventory === undefined) run.log('rollout: this state backend cannot be listed; removed stacks are not detected\n');
  const result = await deployStacks({
    allStacks: run.stacks,
    selected,
    synthDir: run.synthDir,
    planDir: run.planDir,
    runner: run.runner,
    gate: deps.gate,
    ...(inventory ? { inventory } : {}),
    parallel,
    log: run.log,
    environment: run.environment,
  });
  if (result.status !== 'applied') run.log(`rollout: ${result.message}\n`);
  return buildDeployReport(result, run.report);
}

export interface DestroyChoices {
  /** Do not ask for confirmation (already given, or `--yes`). */
  readonly yes: boolean;
  readonly skipOffboarding: boolean;
}

export async function destroyCommand(run: CommandRun, deps: CommandDeps, selected: readonly StackEntry[], choices: DestroyChoices): Promise<DestroyReport> {
  const order = destroyOrder(run.ordered, selected);
  const names = order.map((s) => s.name);
  // Offboarding first (docs/tenancy.md): the synth check before asking anything, the state check
  // (terraform init + show per tenant stack) once confirmed, both before the first destroy.
  const offboarding = choices.skipOffboarding ? undefined : notOffboardedInSynth(order);
  if (choices.skipOffboarding && order.some((s) => isTenantStack(s.name))) run.log('rollout: --skip-offboarding: tenant stacks are destroyed whether or not they were offboarded\n');
  const refusal =
    offboarding ??
    (await confirm({ command: 'destroy', question: `This destroys every resource of ${names.join(', ')}`, action: `destroy ${names.join(', ')}` }, choices.yes, deps)) ??
    (choices.skipOffboarding ? undefined : await offboardingNotApplied(order, run.runner, run.log));
  const result = refusal === undefined ? await destroyStacks(order, run.runner, run.log) : { status: 'refused' as const, destroyed: [], notAttempted: names, message: refusal };
  if (result.status !== 'destroyed') run.log(`rollout: ${result.message}\n`);
  return buildDestroyReport(result, run.report, Object.fromEntries(order.map((stack) => [stack.name, removalsOf(stack)])));
}

/** A confirmation: `command` names who refuses, `question` what happens, `action` what `--yes` lets happen unasked. */
export interface Confirmation {
  readonly command: string;
  readonly question: string;
  readonly action: string;
}

/** Undefined when the operator confirmed (or `yes`); otherwise the refusal. */
export async function confirm(c: Confirmation, yes: boolean, deps: Pick<CommandDeps, 'stdinIsTTY' | 'ask'>): Promise<string | undefined> {
  if (yes) return undefined;
  if (deps.ask === undefined || !deps.stdinIsTTY) return noTerminal(c);
  const answer = await deps.ask(`${c.question}. Type "yes" to continue: `);
  return answer.trim() === 'yes' ? undefined : `${c.command} refused: not confirmed`;
}

/** The refusal when there is no terminal to ask on (CI without `--yes`). */
export function noTerminal(c: Confirmation): string {
  return `${c.command} refused: no terminal to confirm on; pass --yes to ${c.action} without asking`;
}

/** Writes `<name>-report.{json,md}` into `outDir` and prints the Markdown. */
export function writeReport(report: RolloutReport, name: string, outDir: string, deps: Pick<CommandDeps, 'stdout'>, log: (text: string) => void): void {
  const markdown = renderMarkdown(report);
  mkdirSync(outDir, { recursive: true });
  writeFileSync(path.join(outDir, `${name}-report.json`), renderJson(report));
  writeFileSync(path.join(outDir, `${name}-report.md`), markdown);
  deps.stdout(markdown);
  log(`rollout: reports written to ${path.join(outDir, `${name}-report.{json,md}`)}\n`);
}

/** The real inventory: the backend of the last stack in order (every stack but the bootstrap state stack shares it). */
function defaultInventory(env: NodeJS.ProcessEnv): (stacks: readonly StackEntry[]) => StateInventory | undefined {
  return (stacks) => (stacks.length === 0 ? undefined : inventoryFromSynth(stacks[stacks.length - 1], (binary, argv) => runProcess(binary, argv, env)));
}
