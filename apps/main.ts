import { synthesize } from './synth';

/**
 * `npm run synth`: reads ENV_FILE (default examples/gcc-uae-aws.yaml) and synthesizes every stack into
 * CDKTF_OUTDIR (default cdktf.out). Exit codes: 0 ok, 2 invalid environment file, 1 anything else; user
 * mistakes never print a stack trace.
 */
const DEFAULT_ENV_FILE = 'examples/gcc-uae-aws.yaml';

function main(): number {
  const envFile = process.env.ENV_FILE ?? DEFAULT_ENV_FILE;
  const outdir = process.env.CDKTF_OUTDIR ?? 'cdktf.out';
  return synthesize(envFile, outdir, {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  }).exitCode;
}

try {
  process.exitCode = main();
} catch (error) {
  process.stderr.write(`synth failed: ${(error as Error).message}\n`);
  process.exitCode = 1;
}
