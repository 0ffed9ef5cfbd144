import * as path from 'node:path';
import { CommandDeps, CommandRun, Confirmation, confirm, deployCommand, destroyCommand, noTerminal, planCommand, writeReport } from './commands';
import { environmentNameFromFile } from './environment';
import { EXIT_ERROR, EXIT_OK, EXIT_REFUSED, EXIT_USAGE } from './exit-codes';
import { readManifest } from './manifest';
import { orderStacks, selectStacks, stacksForEnvironment } from './order';
import { TerraformRunner } from './runner';

/**
 * Synthesizes `envFile` into `synthDir` with tenant `tenantId`'s `offboard` forced on (in memory, the file
 * is not edited) and runs the synth's policy gate; resolves to synth's exit code (0 ok, 2 invalid file or
 * an id the file does not list, 3 gate denied), having printed its problems. apps/rollout.ts wires the
 * real one (apps/synth.ts), which the rollout library cannot import.
 */
export type OffboardSynth = (envFile: string, synthDir: string, tenantId: string) => Promise<number>;

export interface OffboardOptions {
  readonly envFile: string;
  readonly tenantId: string;
  /** Where the override synth goes (its plans in `<synthDir>/rollout-plan`). */
  readonly synthDir: string;
  readonly outDir: string;
  readonly yes: boolean;
  readonly generatedAt?: string;
}

export interface OffboardDeps extends CommandDeps {
  readonly synthesize: OffboardSynth;
  readonly runner: TerraformRunner;
  readonly log: (text: string) => void;
}

/**
 * `npm run offboard -- --env-file <env>.yaml --tenant <id>`: removing a tenant in one command, the three
 * steps of docs/tenancy.md "Removing a tenant" with nothing skipped:
 *   1. synth + policy gate of the environment with the tenant's `offboard: true` (override, see OffboardSynth);
 *   2. plan of the tenant stack (saved plan, policy gate over its JSON), the confirmation, then deploy of
 *      exactly that plan (gate again, preflight, removed-stack check): the offboarding Jobs delete the
 *      tenant's LiteLLM team/key and queue ACL user and streams, which Terraform's state does not hold;
 *   3. destroy of the tenant stack, through destroy's offboarding gate (the Jobs are now in its state).
 * Each step runs only if the one before succeeded: a failed or refused apply destroys nothing. The plan,
 * deploy and destroy reports land in `outDir`; the destroy report lists what was removed outside the
 * state. Deleting the entry from the file stays with the operator (the file is theirs, usually under
 * review); the last line says so. Running the command again after a failure converges: the offboarding
 * Jobs are idempotent and the plan recreates whatever a partial destroy removed before destroying it all.
 */
export async function offboardTenant(options: OffboardOptions, deps: OffboardDeps): Promise<number> {
  const { envFile, tenantId, synthDir } = options;
  const log = deps.log;
  const environment = environmentNameFromFile(envFile);
  const stackName = `${environment}-tenant-${tenantId}`;
  const confirmation: Confirmation = {
    command: 'offboard',
    question:
      `This removes tenant "${tenantId}" of ${environment}: its offboarding Jobs delete its LiteLLM team and keys (LLM and embeddings) and its queue ACL user and streams, ` +
      `then every resource of ${stackName} is destroyed`,
    action: `remove tenant "${tenantId}"`,
  };
  // No terminal and no --yes: refused before anything runs, rather than after a synth and a plan.
  if (!options.yes && (!deps.stdinIsTTY || deps.ask === undefined)) return refused(log, noTerminal(confirmation));

  log(`\n==> synth ${envFile} with tenants[id=${tenantId}].offboard forced to true, into ${synthDir}\n`);
  const synth = await deps.synthesize(envFile, synthDir, tenantId);
  if (synth === EXIT_USAGE) return EXIT_USAGE; // synth printed the problems (an id the file does not list among them)
  if (synth === EXIT_REFUSED) return refused(log, `offboard refused: the policy gate denies the synthesized configuration (${path.join(synthDir, 'policy-report.md')}); nothing was touched`);
  if (synth !== EXIT_OK) return refused(log, `offboard stopped: synth failed (exit ${synth}); nothing was touched`, EXIT_ERROR);

  const stacks = stacksForEnvironment(readManifest(synthDir), environment);
  const ordered = orderStacks(stacks);
  const selected = selectStacks(ordered, [stackName]);
  const run: CommandRun = {
    stacks,
    ordered,
    synthDir,
    planDir: path.join(synthDir, 'rollout-plan'),
    runner: deps.runner,
    log,
    environment,
    report: { environment, ...(options.generatedAt === undefined ? {} : { generatedAt: options.generatedAt }) },
  };
  const report = (r: Parameters<typeof writeReport>[0], name: string): number => {
    writeReport(r, name, options.outDir, deps, log);
    return r.exitCode;
  };

  const planned = report(await planCommand(run, deps, selected, 1), 'plan');
  if (planned !== EXIT_OK) return stopped(log, tenantId, planned, 'its plan failed or the policy gate denied it (plan report above)');
  const notConfirmed = await confirm(confirmation, options.yes, deps);
  if (notConfirmed !== undefined) return refused(log, `${notConfirmed}; nothing was touched`);
  const deployed = report(await deployCommand(run, deps, selected, 1), 'deploy');
  if (deployed !== EXIT_OK) return stopped(log, tenantId, deployed, 'its offboarding was not applied, so nothing was destroyed');
  const destroyed = report(await destroyCommand(run, deps, selected, { yes: true, skipOffboarding: false }), 'destroy');
  if (destroyed !== EXIT_OK) return stopped(log, tenantId, destroyed, `its offboarding ran but ${stackName} was not (fully) destroyed`);

  log(
    `rollout: tenant "${tenantId}" removed: offboarding applied and ${stackName} destroyed (destroy report: what was removed outside the state). ` +
      `Last step: delete its entry (id: ${tenantId}) from tenants[] in ${envFile} and commit. Until then a deploy of that file would create the tenant again; ` +
      `without it, synth has no ${stackName} and deploy finds its state empty.\n`,
  );
  return EXIT_OK;
}

function refused(log: (text: string) => void, message: string, code: number = EXIT_REFUSED): number {
  log(`rollout: ${message}\n`);
  return code;
}

function stopped(log: (text: string) => void, tenantId: string, code: number, why: string): number {
  return refused(log, `tenant "${tenantId}" not removed: ${why}. Fix the cause and run the same command again (every step is idempotent)`, code);
}
