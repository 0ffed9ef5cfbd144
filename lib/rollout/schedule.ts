import { StackEntry } from './manifest';
import { isTenantStack } from './order';
import { OutputSink } from './runner';

/** One stack's work: gets the sink its terraform output goes to; resolves to the stack's result. */
export type StackTask<T> = (stack: StackEntry, output: OutputSink) => Promise<T>;

export interface ScheduleOptions<T> {
  /** Stacks in dependency order (`orderStacks`). */
  readonly stacks: readonly StackEntry[];
  /** How many tenant stacks run at once (>= 1). Shared stacks always run one at a time. */
  readonly parallel: number;
  /** Where output goes: a header line per stack, then that stack's terraform output. */
  readonly log: (text: string) => void;
  /** Header label, e.g. `plan` in `==> plan dev-platform`. */
  readonly label: string;
  /** When given and true for a result, no further stack is started (running ones finish). */
  readonly stopsTheRun?: (result: T) => boolean;
}

/**
 * Runs `task` for every stack and returns the results in the order of `stacks` (undefined for a stack
 * that was never started because an earlier one stopped the run), whatever order they finished in, so
 * reports are deterministic.
 *
 * Shared stacks (everything that is not a tenant: state, platform, addons, workloads, ... whatever the
 * manifest holds) run first, one after another in dependency order, streaming their output: each may
 * read the outputs of the one before. Tenant stacks depend only on shared stacks, never on each other,
 * so they then run `parallel` at a time. With more than one at a time, each tenant's output is held
 * back and printed in one piece when it finishes, so logs of different stacks never interleave.
 */
export async function runScheduled<T>(task: StackTask<T>, options: ScheduleOptions<T>): Promise<Array<T | undefined>> {
  if (!Number.isInteger(options.parallel) || options.parallel < 1) throw new Error(`parallel must be a positive integer, got ${options.parallel}`);
  const results: Array<T | undefined> = options.stacks.map(() => undefined);
  let stopped = false;
  const finish = (index: number, result: T): void => {
    results[index] = result;
    if (options.stopsTheRun?.(result)) stopped = true;
  };
  const header = (stack: StackEntry): string => `\n==> ${options.label} ${stack.name}\n`;
  const streamed: OutputSink = (chunk) => options.log(chunk);

  const indexed = options.stacks.map((stack, index) => ({ stack, index }));
  for (const { stack, index } of indexed.filter((s) => !isTenantStack(s.stack.name))) {
    if (stopped) return results;
    options.log(header(stack));
    finish(index, await task(stack, streamed));
  }

  const tenants = indexed.filter((s) => isTenantStack(s.stack.name));
  let next = 0;
  const worker = async (): Promise<void> => {
    while (!stopped && next < tenants.length) {
      const { stack, index } = tenants[next++];
      if (options.parallel === 1) {
        options.log(header(stack));
        finish(index, await task(stack, streamed));
        continue;
      }
      let buffered = '';
      const result = await task(stack, (chunk) => (buffered += chunk));
      options.log(header(stack) + buffered);
      finish(index, result);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.parallel, tenants.length) }, worker));
  return results;
}
