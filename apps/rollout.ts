/**
 * Rollout CLI: `node dist/apps/rollout.js <plan|deploy|drift|destroy|offboard> [options]` (see USAGE in
 * lib/rollout/cli.ts and docs/rollout.md). Works on an already-synthesized cdktf output (`npm run synth`
 * first), except `offboard`, which synthesizes with the tenant's override itself. All logic lives in
 * lib/rollout; this file only wires the process (argv, streams, terminal, exit code), the policy gate over
 * plan JSON and the synth (apps/synth.ts) for offboard.
 */
import { createInterface } from 'node:readline/promises';
import { runCli } from '../lib/rollout/cli';
import { policyPlanGate } from '../lib/rollout/plan-gate';
import { cloudPreflight } from '../lib/rollout/preflight';
import { azCli } from '../lib/azure/preflight';

async function ask(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return await rl.question(question);
  } finally {
    rl.close();
  }
}

runCli(process.argv.slice(2), {
  cwd: process.cwd(),
  env: process.env,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  gate: policyPlanGate,
  stdinIsTTY: process.stdin.isTTY === true,
  ask,
  preflight: cloudPreflight(azCli),
  // Loaded only for offboard (synth pulls in every construct). Synth's own lines go to stderr with the
  // rest of the progress: stdout carries the reports.
  synthesize: async (envFile, synthDir, tenantId) => {
    const { gateDate, synthesizeAndGate } = await import('./synth');
    const io = { out: (line: string) => process.stderr.write(`${line}\n`), err: (line: string) => process.stderr.write(`${line}\n`) };
    const result = await synthesizeAndGate(envFile, synthDir, io, { offboardTenant: tenantId, today: gateDate(process.env), gitCommit: process.env.SOURCE_COMMIT || undefined });
    return result.exitCode;
  },
}).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`rollout: internal error: ${(err as Error).message}\n`);
    process.exitCode = 1;
  },
);
