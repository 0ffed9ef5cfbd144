/**
 * Rollout CLI: `node dist/apps/rollout.js <plan|deploy|drift> [--env-file F] [--out DIR] [--stacks a,b]`.
 * Works on an already-synthesized cdktf output (`npm run synth` first). All logic lives in
 * lib/rollout; this file only wires the process (argv, streams, exit code) and the policy gate.
 */
import { runCli } from '../lib/rollout/cli';
import { PolicyGate } from '../lib/rollout/deploy';

/**
 * POLICY GATE HOOK for `deploy`. Not wired yet: the policy runner (lib/policy) is being written
 * separately. Until it is, deploy fails closed, because the requirements say policies gate every
 * rollout and an un-gated apply is exactly what must not happen. To wire it, replace the body with
 * a call that evaluates the synthesized stacks and resolves true only when there is no unexcepted
 * violation.
 */
const policyGate: PolicyGate = async () => {
  process.stderr.write(
    'rollout: the policy gate is not wired into apps/rollout.ts yet (policyGate hook); refusing to deploy. ' +
      'Run `npm run check` and wire lib/policy into the hook.\n',
  );
  return false;
};

runCli(process.argv.slice(2), {
  cwd: process.cwd(),
  env: process.env,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  gate: policyGate,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`rollout: internal error: ${(err as Error).message}\n`);
    process.exitCode = 1;
  },
);
