/**
 * Runs `fn` (constructing and synthesizing stacks) without cdktf's token creation traces.
 *
 * cdktf records a stack trace of unlimited depth for every token it creates (`Lazy`, `Intrinsic`:
 * `creationStack`, through `Error.captureStackTrace`), only to quote it if that token later fails to
 * resolve. In a 500-tenant synth, capturing and formatting those traces cost about 40% of the CPU and
 * half the memory (node --cpu-prof: `captureStackTrace`, `get stack`, `defaultPrepareStackTrace`).
 * While `fn` runs, `Error.captureStackTrace` captures nothing, so cdktf records an empty trace. Errors
 * thrown meanwhile keep their stacks: `new Error()` records its trace without calling
 * `Error.captureStackTrace`. `SYNTH_TOKEN_TRACES=1` keeps the traces, to find where an unresolvable
 * token was created.
 */
export function withoutTokenTraces<T>(fn: () => T): T {
  if (process.env.SYNTH_TOKEN_TRACES === '1') {
    return fn();
  }
  const capture = Error.captureStackTrace;
  Error.captureStackTrace = () => undefined;
  try {
    return fn();
  } finally {
    Error.captureStackTrace = capture;
  }
}
