// First: before anything loads cdktf (apps/defer-archiver.ts).
import './defer-archiver';
import { restoreForCdktfCli, stackDirectories } from './cdktf-cli';
import { requestedWorkers } from './sharded-synth';
import { gateDate, synthesizeAndGate } from './synth';

/**
 * `npm run synth`: reads ENV_FILE (default examples/gcc-uae-aws.yaml) and synthesizes every stack into
 * CDKTF_OUTDIR (default cdktf.out), then runs the policy gate. Exit codes: 0 ok, 2 invalid environment
 * file, 3 policy violation, 1 anything else; user mistakes never print a stack trace. SOURCE_COMMIT, when
 * set, is recorded in the evidence pack's provenance; GATE_DATE sets the date expiring policy exceptions
 * are judged against; SYNTH_WORKERS the number of worker threads for the tenant stacks (0 = none;
 * default from 40 tenants on: one per core besides the main thread, which takes a share too; apps/sharded-synth.ts).
 *
 * `--cdktf-cli` (the app command of cdktf.json) adapts the output directory to the cdktf CLI's clean-up
 * (apps/cdktf-cli.ts). The CLI reports any failure of the app as exit code 1.
 */
const DEFAULT_ENV_FILE = 'examples/gcc-uae-aws.yaml';

async function main(): Promise<number> {
  const envFile = process.env.ENV_FILE ?? DEFAULT_ENV_FILE;
  const outdir = process.env.CDKTF_OUTDIR ?? 'cdktf.out';
  const forCdktfCli = process.argv.includes('--cdktf-cli');
  const stacksBefore = forCdktfCli ? stackDirectories(outdir) : [];
  const result = await synthesizeAndGate(
    envFile,
    outdir,
    {
      out: (line) => process.stdout.write(`${line}\n`),
      err: (line) => process.stderr.write(`${line}\n`),
    },
    { gitCommit: process.env.SOURCE_COMMIT || undefined, today: gateDate(process.env), workers: requestedWorkers(process.env.SYNTH_WORKERS) },
  );
  if (forCdktfCli) {
    restoreForCdktfCli(outdir, stacksBefore);
  }
  return result.exitCode;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: Error) => {
    process.stderr.write(`synth failed: ${error.message}\n`);
    process.exitCode = 1;
  },
);
