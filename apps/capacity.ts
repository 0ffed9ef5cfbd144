import { runCapacityCli } from '../lib/capacity/cli';

/** `npm run capacity -- --qps 50 --vectors 20000000`: see lib/capacity/args.ts for the flags. */
try {
  process.exitCode = runCapacityCli(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  });
} catch (error) {
  process.stderr.write(`capacity: internal error: ${(error as Error).message}\n`);
  process.exitCode = 1;
}
