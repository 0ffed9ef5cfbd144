import { readFileSync } from 'fs';
import { parseEnvironment } from '../../lib/config/load';
import { ConfigError, formatProblems } from '../../lib/config/errors';
import { AWS_EXAMPLE } from '../helpers';

/** Problem lines for the AWS example with `from` replaced by `to` in its YAML text. */
function linesFor(from: string, to: string): string[] {
  const text = readFileSync(AWS_EXAMPLE, 'utf8');
  expect(text).toContain(from);
  try {
    parseEnvironment(text.replace(from, to), 'env.yaml');
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return formatProblems(error.file, error.problems);
    throw error;
  }
}

describe('YAML typing traps name the fix', () => {
  test('an unquoted Kubernetes minor is read as a number: quote it', () => {
    expect(linesFor('\nregistry:', '\nversions:\n  kubernetes: 1.33\nregistry:')).toEqual([
      'env.yaml: versions.kubernetes: is not an allowed value; YAML read the unquoted value as a number: write "1.33" (quoted) (allowed: 1.32, 1.33, 1.34)',
    ]);
  });

  test('an unquoted account id is read as a number: quote it', () => {
    expect(linesFor('accountId: "111122223333"', 'accountId: 111122223333')).toEqual([
      'env.yaml: aws.accountId: must be a string; YAML read the unquoted value as a number: write "111122223333" (quoted)',
    ]);
  });

  test('a quoted value that is simply wrong gets no quoting hint', () => {
    expect(linesFor('\nregistry:', '\nversions:\n  kubernetes: "1.29"\nregistry:')).toEqual(['env.yaml: versions.kubernetes: is not an allowed value (allowed: 1.32, 1.33, 1.34)']);
  });
});
