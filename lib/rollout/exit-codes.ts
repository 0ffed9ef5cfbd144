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
 * Plan: 1 if any stack failed to plan, else 0. Pending changes are the normal state of a pull
 * request, so they do not fail the job (unlike drift, where any change is news).
 */
export function planExitCode(statuses: readonly ('no-changes' | 'changes' | 'error')[]): number {
  return statuses.includes('error') ? EXIT_ERROR : EXIT_OK;
}

/** Deploy: 0 only when every selected stack applied; a blocked gate or a failed stack is 1. */
export function deployExitCode(status: 'applied' | 'blocked' | 'failed'): number {
  return status === 'applied' ? EXIT_OK : EXIT_ERROR;
}
