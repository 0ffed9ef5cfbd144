/**
 * A failure the operator can act on (bad manifest, unknown stack, dependency cycle, terraform
 * failing). The CLI prints `message` alone: these are user-facing, so a stack trace would only
 * hide the sentence that says what to do.
 */
export class RolloutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RolloutError';
  }
}

/** Bad command-line usage: the CLI exits 2 and prints the usage text after the message. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
