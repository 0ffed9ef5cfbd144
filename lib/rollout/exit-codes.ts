/**
 * Process exit codes of the rollout CLI. Drift uses terraform's `-detailed-exitcode` convention so CI
 * can tell "something changed out of band" (2) from "the check itself broke" (1).
 */
export const EXIT_OK = 0;
export const EXIT_ERROR = 1;
export const EXIT_DRIFT = 2;
/** Bad command-line usage. Shares 2 with drift (the brief's contract); usage errors print usage text. */
export const EXIT_USAGE = 2;

/**
 * Drift check: 1 if any stack could not be checked, else 2 if any drifted, else 0. Error wins over
 * drift because a report with a missing stack cannot claim the environment's full picture; the
 * report still lists the drifted stacks, and CI reads them from the JSON either way.
 */
export function driftExitCode(statuses: readonly ('in-sync' | 'drifted' | 'error')[]): number {
  if (statuses.includes('error')) return EXIT_ERROR;
  if (statuses.includes('drifted')) return EXIT_DRIFT;
  return EXIT_OK;
}

/**
 * Refused before anything was touched: the saved plan may not be applied (stale, incomplete, gate
 * denied), state of a removed stack is still live, the policy gate denied a plan, or a destroy was not
 * confirmed. Same number as synth's "policy gate denied".
 */
export const EXIT_REFUSED = 3;

/**
 * Plan: 1 if any stack failed to plan, else 3 if the policy gate denied the plans, else 0. Pending
 * changes are the normal state of a pull request, so they do not fail the job (unlike drift).
 */
export function planExitCode(statuses: readonly ('no-changes' | 'changes' | 'error')[], gatePassed: boolean): number {
  if (statuses.includes('error')) return EXIT_ERROR;
  return gatePassed ? EXIT_OK : EXIT_REFUSED;
}

/** Deploy: 0 when every selected stack applied; 3 refused (nothing touched); 1 a stack failed or a re-plan is needed. */
export function deployExitCode(status: 'applied' | 'refused' | 'failed' | 'replan'): number {
  if (status === 'applied') return EXIT_OK;
  return status === 'refused' ? EXIT_REFUSED : EXIT_ERROR;
}

/** Destroy: 0 destroyed; 3 refused (not confirmed); 1 a stack failed. */
export function destroyExitCode(status: 'destroyed' | 'failed' | 'refused'): number {
  if (status === 'destroyed') return EXIT_OK;
  return status === 'refused' ? EXIT_REFUSED : EXIT_ERROR;
}
