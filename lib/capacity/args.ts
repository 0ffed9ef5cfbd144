import { CURRENCIES, Currency } from './prices';

export const CAPACITY_USAGE = `usage: npm run capacity -- --qps <steady> --vectors <n> [--dims 768] [--peak-factor 3]
                          [--env-file FILE] [--cloud aws|azure] [--region R] [--json] [--currency AED|USD|EUR]

Sizes every layer (orchestrator, Qdrant, TEI, LiteLLM, Langfuse) from steady QPS and vector count and
estimates the monthly cost. With --env-file, the cloud, region and node pools come from the file, its
optional capacity: block supplies --qps/--vectors/--dims/--peak-factor when they are not given, and
the file's explicit sizes are compared with the advice. Without it: EKS in me-central-1.
Exit 0 planned (warnings included), 2 bad arguments or environment file.`;

export interface CapacityArgs {
  readonly qps?: number;
  readonly vectors?: number;
  readonly dims?: number;
  readonly peakFactor?: number;
  readonly envFile?: string;
  readonly cloud?: 'aws' | 'azure';
  readonly region?: string;
  readonly json: boolean;
  readonly currency: Currency;
}

/** A command-line mistake: names the flag, never shows a stack trace. */
export class CapacityUsageError extends Error {
  constructor(
    readonly flag: string,
    message: string,
  ) {
    super(`${flag}: ${message}`);
    this.name = 'CapacityUsageError';
  }
}

type NumberFlag = 'qps' | 'vectors' | 'dims' | 'peakFactor';

const NUMBER_FLAGS: Record<string, { key: NumberFlag; integer: boolean; min: number }> = {
  '--qps': { key: 'qps', integer: false, min: Number.MIN_VALUE },
  '--vectors': { key: 'vectors', integer: true, min: 1 },
  '--dims': { key: 'dims', integer: true, min: 1 },
  '--peak-factor': { key: 'peakFactor', integer: false, min: 1 },
};
const STRING_FLAGS = ['--env-file', '--cloud', '--region', '--currency'] as const;

function parseNumber(flag: string, raw: string): number {
  const spec = NUMBER_FLAGS[flag];
  // Underscores and commas are accepted as digit separators: 20_000_000, 20,000,000.
  const text = raw.replace(/[_,]/g, '');
  const value = /^\d+(\.\d+)?([eE]\d+)?$/.test(text) ? Number(text) : NaN;
  if (!Number.isFinite(value)) {
    throw new CapacityUsageError(flag, `"${raw}" is not a number`);
  }
  if (spec.integer && !Number.isInteger(value)) {
    throw new CapacityUsageError(flag, `must be a whole number, got ${raw}`);
  }
  if (value < spec.min) {
    throw new CapacityUsageError(flag, spec.min === Number.MIN_VALUE ? 'must be greater than 0' : `must be at least ${spec.min}, got ${raw}`);
  }
  return value;
}

/** Parses argv (without node and script); throws CapacityUsageError naming the flag. */
export function parseCapacityArgs(argv: readonly string[]): CapacityArgs | 'help' {
  if (argv.includes('--help') || argv.includes('-h')) return 'help';
  const numbers: Partial<Record<NumberFlag, number>> = {};
  const strings: Partial<Record<(typeof STRING_FLAGS)[number], string>> = {};
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.indexOf('=');
    const flag = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    if (flag === '--json') {
      if (flag !== arg) throw new CapacityUsageError('--json', 'takes no value');
      json = true;
      continue;
    }
    const isNumber = flag in NUMBER_FLAGS;
    if (!isNumber && !(STRING_FLAGS as readonly string[]).includes(flag)) {
      throw new CapacityUsageError(arg.startsWith('-') ? flag : '(argument)', arg.startsWith('-') ? 'unknown option' : `unexpected argument "${arg}"`);
    }
    let value: string | undefined;
    if (flag !== arg) value = arg.slice(eq + 1);
    else value = argv[++i];
    if (value === undefined || value === '' || (flag === arg && value.startsWith('--'))) {
      throw new CapacityUsageError(flag, 'needs a value');
    }
    if (isNumber) {
      const key = NUMBER_FLAGS[flag].key;
      if (key in numbers) throw new CapacityUsageError(flag, 'given twice');
      numbers[key] = parseNumber(flag, value);
    } else {
      const key = flag as (typeof STRING_FLAGS)[number];
      if (key in strings) throw new CapacityUsageError(flag, 'given twice');
      strings[key] = value;
    }
  }
  const currency = strings['--currency'] ?? 'AED';
  if (!(CURRENCIES as readonly string[]).includes(currency)) {
    throw new CapacityUsageError('--currency', `"${currency}" is not supported (allowed: ${CURRENCIES.join(', ')})`);
  }
  const cloud = strings['--cloud'];
  if (cloud !== undefined && cloud !== 'aws' && cloud !== 'azure') {
    throw new CapacityUsageError('--cloud', `"${cloud}" is not supported (allowed: aws, azure)`);
  }
  if (strings['--env-file'] !== undefined && (cloud !== undefined || strings['--region'] !== undefined)) {
    throw new CapacityUsageError(cloud !== undefined ? '--cloud' : '--region', 'comes from the environment file when --env-file is given');
  }
  return { ...numbers, envFile: strings['--env-file'], cloud, region: strings['--region'], json, currency: currency as Currency };
}
