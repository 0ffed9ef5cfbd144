import { gateCommand } from './gate-command';

/**
 * `npm run gate -- <cdktf.out dir>` or `npm run gate -- --plan <plan.json> --env-file <file>`: see
 * gate-command.ts. The date expiring exceptions are judged against is read here, at the command line:
 * GATE_DATE (YYYY-MM-DD) when set, otherwise today in UTC.
 */
const today = process.env.GATE_DATE ?? new Date().toISOString().slice(0, 10);

gateCommand(process.argv.slice(2), { out: (line) => process.stdout.write(`${line}\n`), err: (line) => process.stderr.write(`${line}\n`) }, today).then(
  (code) => {
    process.exitCode = code;
  },
  (error: Error) => {
    process.stderr.write(`gate failed: ${error.message}\n`);
    process.exitCode = 1;
  },
);
