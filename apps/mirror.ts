import { runMirrorCli } from '../lib/mirror/cli';

/** `npm run mirror -- [--env-file FILE] [--json]`: every image and chart the environment pulls (lib/mirror). */
try {
  process.exitCode = runMirrorCli(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  });
} catch (error) {
  process.stderr.write(`mirror: internal error: ${(error as Error).message}\n`);
  process.exitCode = 1;
}
