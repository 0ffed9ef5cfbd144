import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { RolloutError, UsageError } from './errors';

/**
 * The environment name from an environment file (its top-level `name`). Only the name is read: the
 * full schema is validated at synth time by lib/config, and the rollout works on what synth produced.
 * The name decides which stacks (`<name>-...`) belong to this environment.
 */
export function environmentNameFromFile(file: string): string {
  if (!existsSync(file)) throw new UsageError(`environment file not found: ${file}`);
  let doc: unknown;
  try {
    doc = parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new RolloutError(`${file} is not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  const name = typeof doc === 'object' && doc !== null ? (doc as Record<string, unknown>).name : undefined;
  if (typeof name !== 'string' || name === '') {
    throw new RolloutError(`${file} has no top-level "name"; it is not an environment file`);
  }
  return name;
}
