import { StackEntry } from './manifest';
import { isTenantStack } from './order';
import { RemovalJob, removalJobsOf } from './removals';
import { TerraformRunner } from './runner';
import { describeFailure, initStack, stepFailure } from './steps';

/**
 * Removing a tenant is symmetric with onboarding only if its offboarding Jobs ran before its stack is
 * destroyed: they delete the LiteLLM team/key and the queue ACL user, which live outside Terraform's state
 * (docs/tenancy.md, "Removing a tenant"). `destroy` therefore refuses a tenant stack unless
 *   1. its synthesized JSON has the offboarding Jobs (`tenants[].offboard: true`), checked before anything
 *      runs (`notOffboardedInSynth`), and
 *   2. its state holds every one of them, not tainted (`offboardingNotApplied`): `wait_for_completion` means
 *      a Job in the state completed; a failed one is tainted. A state without any resource provisioned
 *      nothing and passes.
 * `--skip-offboarding` is the explicit way past both (the report then says what was left behind).
 */

/** `<env>-tenant-<id>` -> `<id>`. */
function tenantIdOf(stackName: string): string {
  return stackName.replace(/^.*?-tenant-/, '');
}

function refusal(stack: StackEntry, why: string, markFirst: boolean): string {
  const id = tenantIdOf(stack.name);
  const mark = markFirst ? `set \`offboard: true\` on its entry in tenants[] (id: ${id}), synthesize, then ` : '';
  return (
    `destroy refused: tenant "${id}" (stack ${stack.name}) ${why}, so destroying it would leave its LiteLLM team/key and ` +
    `queue ACL user behind. Offboard it first: ${mark}\`npm run plan -- --stacks tenant-${id}\` and ` +
    `\`npm run deploy -- --stacks tenant-${id}\`, then destroy again (docs/tenancy.md, "Removing a tenant"). ` +
    'To destroy it anyway and leave them behind, pass --skip-offboarding'
  );
}

/** Undefined when every tenant stack among `stacks` synthesizes its offboarding Jobs; otherwise the refusal. */
export function notOffboardedInSynth(stacks: readonly StackEntry[]): string | undefined {
  const missing = stacks.filter((s) => isTenantStack(s.name) && removalJobsOf(s).length === 0);
  if (missing.length === 0) return undefined;
  return missing.map((s) => refusal(s, 'is not marked for offboarding (no offboarding Jobs in its synthesized configuration)', true)).join('\n');
}

/** The addresses of a state (`terraform show -json`) and whether each is tainted. */
function stateResources(show: unknown): Map<string, boolean> {
  const resources = new Map<string, boolean>();
  const visit = (module: any): void => {
    for (const r of module?.resources ?? []) if (r.mode === 'managed') resources.set(r.address, r.tainted === true);
    for (const child of module?.child_modules ?? []) visit(child);
  };
  visit((show as any)?.values?.root_module);
  return resources;
}

function notRun(jobs: readonly RemovalJob[], state: Map<string, boolean>): string[] {
  return jobs.filter((job) => state.get(job.address) !== false).map((job) => `${job.address} (${state.has(job.address) ? 'failed: tainted' : 'not applied'})`);
}

/**
 * Undefined when every tenant stack among `stacks` has applied its offboarding Jobs (or has nothing in its
 * state); otherwise the refusal. Runs `init` and `show -json` per tenant stack; the state JSON carries
 * values (secrets included), so it is parsed, never logged.
 */
export async function offboardingNotApplied(stacks: readonly StackEntry[], runner: TerraformRunner, log: (text: string) => void): Promise<string | undefined> {
  const refusals: string[] = [];
  for (const stack of stacks.filter((s) => isTenantStack(s.name))) {
    log(`\n==> offboarding check ${stack.name}\n`);
    const initFailure = await initStack(runner, stack.workingDirectory, (chunk) => log(chunk));
    if (initFailure) return `destroy refused: cannot read the state of ${stack.name} to check its offboarding: ${describeFailure(initFailure)}`;
    const show = await runner.run(stack.workingDirectory, 'show', ['-json']);
    if (show.exitCode !== 0) return `destroy refused: cannot read the state of ${stack.name} to check its offboarding: ${describeFailure(stepFailure('show -json', show))}`;
    let state: Map<string, boolean>;
    try {
      state = stateResources(JSON.parse(show.stdout));
    } catch (err) {
      return `destroy refused: terraform show -json of ${stack.name} printed something that is not JSON: ${(err as Error).message}`;
    }
    if (state.size === 0) continue;
    const missing = notRun(removalJobsOf(stack), state);
    if (missing.length > 0) refusals.push(refusal(stack, `has not run its offboarding Jobs: ${missing.join(', ')}`, false));
  }
  return refusals.length === 0 ? undefined : refusals.join('\n');
}
