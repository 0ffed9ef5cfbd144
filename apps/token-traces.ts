/**
 * Runs `fn` (constructing and synthesizing stacks) without cdktf's token creation traces.
 *
 * cdktf records a stack trace of unlimited depth for every token it creates (`Lazy`, `Intrinsic`:
 * `creationStack`), only to quote it if that token later fails to resolve. In a 500-tenant synth those
 * traces cost about 40% of the CPU and half the memory (node --cpu-prof: `captureStackTrace`,
 * `defaultPrepareStackTrace`). While `fn` runs, a trace formats as an empty string, so cdktf keeps none.
 * An error thrown meanwhile still has its stack: V8 formats a stack when it is first read, after this
 * returns. `SYNTH_TOKEN_TRACES=1` keeps the traces, to find where an unresolvable token was created.
 */
export function withoutTokenTraces<T>(fn: () => T): T {
  if (process.env.SYNTH_TOKEN_TRACES === '1') {
    return fn();
  }
  const previous = Error.prepareStackTrace;
  Error.prepareStackTrace = () => '';
  try {
    return fn();
  } finally {
    Error.prepareStackTrace = previous;
  }
}
