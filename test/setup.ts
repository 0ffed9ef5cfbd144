import { Testing } from 'cdktf';

// Adds toHaveResource / toHaveResourceWithProperties matchers to jest.
Testing.setupJest();

// Tests build stacks without cdktf's token creation traces, as every synth does (apps/token-traces.ts):
// cdktf reads an unlimited-depth stack trace for each token it creates, and under jest each trace goes
// through the source maps of the transformed sources, which made building one environment cost 3 s
// instead of 0.3 s. `SYNTH_TOKEN_TRACES=1` keeps them, to find where an unresolvable token was created.
// (jest.mock is hoisted above the import: cdktf must load this module already replaced.)
jest.mock('cdktf/lib/tokens/private/stack-trace', () =>
  process.env.SYNTH_TOKEN_TRACES === '1' ? jest.requireActual('cdktf/lib/tokens/private/stack-trace') : { captureStackTrace: (): string[] => [] },
);
