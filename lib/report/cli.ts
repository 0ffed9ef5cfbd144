import { existsSync, readFileSync } from 'fs';
import { join } from 'path';
import { ConfigError, formatProblems } from '../config/errors';
import { loadEnvironment } from '../config/load';
import { PolicyReport } from '../policy/types';
import { writeEvidencePack } from './write';

export const REPORT_USAGE = `usage: npm run report -- [--env-file FILE] [--outdir DIR] [--git-commit SHA]

Writes the sovereignty evidence pack (DIR/sovereignty-report.{json,md,html,svg}) from an existing synth
output and its policy report (npm run synth writes both, and the pack too).

  --env-file FILE   the environment file DIR was synthesized from (default: $ENV_FILE, else
                    examples/gcc-uae-aws.yaml)
  --outdir DIR      the synth output (default: $CDKTF_OUTDIR, else cdktf.out)
  --git-commit SHA  the source commit to record in the provenance (default: $SOURCE_COMMIT, else none)

Exit 0 written, 2 bad arguments, a missing synth output or an invalid environment file.`;

const FLAGS = { '--env-file': 'envFile', '--outdir': 'outdir', '--git-commit': 'gitCommit' } as const;
type Flag = keyof typeof FLAGS;

export interface ReportIo {
  stdout(text: string): void;
  stderr(text: string): void;
  readonly env: Readonly<Record<string, string | undefined>>;
}

class ReportUsageError extends Error {}

function parse(argv: readonly string[]): Partial<Record<(typeof FLAGS)[Flag], string>> | 'help' {
  if (argv.includes('--help') || argv.includes('-h')) return 'help';
  const values: Partial<Record<(typeof FLAGS)[Flag], string>> = {};
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].startsWith('--') && argv[i].includes('=') ? [argv[i].slice(0, argv[i].indexOf('=')), argv[i].slice(argv[i].indexOf('=') + 1)] : [argv[i], undefined];
    if (!(flag in FLAGS)) throw new ReportUsageError(`${flag}: ${flag.startsWith('-') ? 'unknown option' : 'unexpected argument'}`);
    const value = inline ?? argv[++i];
    if (value === undefined || value === '' || (inline === undefined && value.startsWith('--'))) throw new ReportUsageError(`${flag}: needs a value`);
    values[FLAGS[flag as Flag]] = value;
  }
  return values;
}

/** `npm run report`: 0 written; 2 for every user mistake, with one line saying which. */
export function runReportCli(argv: readonly string[], io: ReportIo): 0 | 2 {
  try {
    const args = parse(argv);
    if (args === 'help') {
      io.stdout(`${REPORT_USAGE}\n`);
      return 0;
    }
    const envFile = args.envFile ?? io.env.ENV_FILE ?? 'examples/gcc-uae-aws.yaml';
    const outdir = args.outdir ?? io.env.CDKTF_OUTDIR ?? 'cdktf.out';
    const policyFile = join(outdir, 'policy-report.json');
    if (!existsSync(join(outdir, 'stacks')) || !existsSync(policyFile)) {
      throw new ReportUsageError(`--outdir: ${outdir} has no synthesized stacks and policy report; run npm run synth first`);
    }
    const config = loadEnvironment(envFile);
    const policy = JSON.parse(readFileSync(policyFile, 'utf8')) as PolicyReport;
    if (policy.environment !== config.name) {
      throw new ReportUsageError(`--env-file: ${envFile} describes environment ${config.name}, but ${outdir} holds ${policy.environment}`);
    }
    const report = writeEvidencePack({ outdir, config, environmentFile: envFile, policy, gitCommit: args.gitCommit ?? (io.env.SOURCE_COMMIT || undefined) });
    io.stdout(`evidence pack for ${report.environment}: ${report.dataStores.length} data stores, ${report.models.length} models -> ${join(outdir, 'sovereignty-report.{json,md,html,svg}')}\n`);
    return 0;
  } catch (error) {
    if (error instanceof ReportUsageError) {
      io.stderr(`report: ${error.message}\n`);
      return 2;
    }
    if (error instanceof ConfigError) {
      io.stderr(`${formatProblems(error.file, error.problems).join('\n')}\n`);
      return 2;
    }
    throw error;
  }
}
