import { runReportCli } from '../lib/report/cli';

/** `npm run report`: the evidence pack from an existing synth output; see lib/report/cli.ts. */
try {
  process.exitCode = runReportCli(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
  });
} catch (error) {
  process.stderr.write(`report: internal error: ${(error as Error).message}\n`);
  process.exitCode = 1;
}
