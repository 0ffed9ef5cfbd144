import { readFileSync } from 'fs';
import { parseDocument } from 'yaml';
import { ConfigError, ConfigProblem } from './errors';
import { environmentSchema, EnvironmentConfig } from './schema';
import { problemsFromZod } from './zod-problems';
import { CONFIG_RULES, FOUNDATION_RULES } from './rules';
import { withCapacityAdvice } from '../capacity/derive';

/**
 * Reads an environment file (YAML or JSON; JSON is YAML), validates it with the strict schema, applies
 * defaults, then runs the cross-field rules. Throws ConfigError with every problem found; never returns
 * a half-valid config.
 */
export function loadEnvironment(file: string): EnvironmentConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : `cannot be read (${(error as Error).message})`;
    throw new ConfigError(file, [{ path: [], message: reason }]);
  }
  return parseEnvironment(text, file);
}

export function parseEnvironment(text: string, file: string): EnvironmentConfig {
  const document = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  if (document.errors.length > 0) {
    throw new ConfigError(
      file,
      document.errors.map((error) => ({ path: [], message: `not valid YAML at line ${error.linePos?.[0].line ?? '?'}: ${error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}` })),
    );
  }
  return validateEnvironment(document.toJS(), file);
}

export function validateEnvironment(input: unknown, file: string): EnvironmentConfig {
  // Sizes the file leaves out come from its capacity: block's plan; values it sets always win.
  const parsed = environmentSchema.safeParse(withCapacityAdvice(input));
  if (!parsed.success) {
    throw new ConfigError(file, problemsFromZod(environmentSchema, input, parsed.error.issues));
  }
  const foundation: ConfigProblem[] = FOUNDATION_RULES.flatMap((rule) => rule(parsed.data));
  const problems = foundation.length > 0 ? foundation : CONFIG_RULES.flatMap((rule) => rule(parsed.data));
  if (problems.length > 0) {
    throw new ConfigError(file, problems);
  }
  return parsed.data;
}
