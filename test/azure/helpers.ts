import { readFileSync } from 'fs';
import { join } from 'path';
import { parse } from 'yaml';
import { REPO_ROOT, resourcesOf } from '../helpers';

export const AZURE_EXAMPLE = join(REPO_ROOT, 'examples/gcc-uae-azure.yaml');
export const CORE42_EXAMPLE = join(REPO_ROOT, 'examples/core42-uae-azure.yaml');

/** The raw Azure example as a plain object, to mutate in tests. */
export function azureExampleInput(): Record<string, any> {
  return parse(readFileSync(AZURE_EXAMPLE, 'utf8'));
}

/** The single resource of `type` in `stack` (fails the test when there is not exactly one). */
export function only(stack: any, type: string): any {
  const found = resourcesOf(stack, type);
  expect(found).toHaveLength(1);
  return found[0][1];
}

/** The resource of `type` whose construct path ends with `suffix`. */
export function byPath(stack: any, type: string, suffix: string): any {
  const found = resourcesOf(stack, type).filter(([, value]) => String(value['//']?.metadata?.path ?? '').endsWith(suffix));
  expect(found).toHaveLength(1);
  return found[0][1];
}
