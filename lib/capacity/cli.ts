import { ConfigError, formatProblems } from '../config/errors';
import { loadEnvironment } from '../config/load';
import { EnvironmentConfig } from '../config/schema';
import { CAPACITY_USAGE, CapacityUsageError, parseCapacityArgs } from './args';
import { capacityInput, compareWithEnvironment } from './environment';
import { formatPlan, planJson } from './format';
import { CapacityError, planCapacity } from './plan';

export interface CapacityIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** `npm run capacity`: 0 planned, 2 bad arguments or environment file. Never prints a stack trace for those. */
export function runCapacityCli(argv: readonly string[], io: CapacityIo): 0 | 2 {
  try {
    const args = parseCapacityArgs(argv);
    if (args === 'help') {
      io.stdout(`${CAPACITY_USAGE}\n`);
      return 0;
    }
    const config: EnvironmentConfig | undefined = args.envFile ? loadEnvironment(args.envFile) : undefined;
    const plan = planCapacity(capacityInput(args, config));
    const differences = config ? compareWithEnvironment(config, plan) : undefined;
    io.stdout(args.json ? `${JSON.stringify(planJson(plan, differences), null, 2)}\n` : formatPlan(plan, differences));
    return 0;
  } catch (error) {
    if (error instanceof CapacityUsageError) {
      io.stderr(`capacity: ${error.message}\n${CAPACITY_USAGE}\n`);
      return 2;
    }
    if (error instanceof CapacityError) {
      io.stderr(`capacity: ${error.message}\n`);
      return 2;
    }
    if (error instanceof ConfigError) {
      io.stderr(`${formatProblems(error.file, error.problems).join('\n')}\n`);
      return 2;
    }
    throw error;
  }
}
