/**
 * Rollout CLI: `node dist/apps/rollout.js <plan|deploy|drift> [--env-file F] [--out DIR] [--stacks a,b]`.
 * Works on an already-synthesized cdktf output (`npm run synth` first). All logic lives in
 * lib/rollout; this file only wires the process (argv, streams, exit code) and the policy gate.
 */
import { runCli } from '../lib/rollout/cli';
import { PolicyGate } from '../lib/rollout/deploy';
import { synthesizeAndGate } from './synth';

/**
 * The policy gate for `deploy`: re-synthesizes the environment file into the directory deploy applies
 * and evaluates every stack in-process. Deploy applies exactly what the gate judged (synth is
 * deterministic), and fails closed on any deny or any error.
 */
const policyGate: PolicyGate = async () => {
  const argv = process.argv.slice(2);
  const flag = argv.indexOf('--env-file');
  const envFile = (flag >= 0 ? argv[flag + 1] : undefined) ?? process.env.ENV_FILE ?? 'examples/gcc-uae-aws.yaml';
  const synthDir = process.env.CDKTF_OUTDIR ?? 'cdktf.out';
  const result = await synthesizeAndGate(envFile, synthDir, {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  });
  return result.exitCode === 0;
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
