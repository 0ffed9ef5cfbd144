import { runProcess } from '../lib/rollout/runner';
import { runSecretsCli } from '../lib/secrets/cli';

/** `npm run secrets -- [--env-file F] [--check] [--json]`: see lib/secrets/cli.ts. */
runSecretsCli(
  process.argv.slice(2),
  { out: (line) => process.stdout.write(`${line}\n`), err: (line) => process.stderr.write(`${line}\n`) },
  (binary, args) => runProcess(binary, args, process.env),
  process.env.ENV_FILE ?? 'examples/gcc-uae-aws.yaml',
).then(
  (code) => {
    process.exitCode = code;
  },
  (error: Error) => {
    process.stderr.write(`secrets: internal error: ${error.message}\n`);
    process.exitCode = 1;
  },
);
