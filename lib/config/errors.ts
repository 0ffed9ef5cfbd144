/**
 * Configuration errors: every problem names the field (as a path into the environment file), what is
 * wrong, and, where the set is finite, what is allowed. The CLI prints one line per problem and exits 2.
 */

export type ConfigPath = ReadonlyArray<string | number>;

export interface ConfigProblem {
  readonly path: ConfigPath;
  readonly message: string;
  readonly allowed?: readonly string[];
}

export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly ConfigProblem[],
  ) {
    super(formatProblems(file, problems).join('\n'));
    this.name = 'ConfigError';
  }
}

/** `tenants[1].id`, `nodePools.gpu.family`; the document itself is `(root)`. */
export function formatPath(path: ConfigPath): string {
  if (path.length === 0) {
    return '(root)';
  }
  return path
    .map((segment, index) => (typeof segment === 'number' ? `[${segment}]` : index === 0 ? segment : `.${segment}`))
    .join('');
}

export function formatProblem(file: string, problem: ConfigProblem): string {
  const allowed = problem.allowed && problem.allowed.length > 0 ? ` (allowed: ${problem.allowed.join(', ')})` : '';
  return `${file}: ${formatPath(problem.path)}: ${problem.message}${allowed}`;
}

/** One line per problem, sorted by path so the output is stable whatever order the checks ran in. */
export function formatProblems(file: string, problems: readonly ConfigProblem[]): string[] {
  return [...problems]
    .sort((a, b) => formatPath(a.path).localeCompare(formatPath(b.path)) || a.message.localeCompare(b.message))
    .map((problem) => formatProblem(file, problem));
}
