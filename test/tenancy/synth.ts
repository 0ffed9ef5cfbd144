/** Helpers for the tenancy tests: the AWS example, mutated in memory, synthesized into a temp dir. */
import { readFileSync } from 'fs';
import { resolve } from 'path';
import { parse } from 'yaml';
import { validateEnvironment } from '../../lib/config/load';
import { ConfigError, formatProblems } from '../../lib/config/errors';
import { synthEnvironment, synthExample } from '../helpers';

export const EXAMPLE = resolve(__dirname, '../../examples/gcc-uae-aws.yaml');

export function exampleInput(): Record<string, any> {
  return parse(readFileSync(EXAMPLE, 'utf8'));
}

export function problems(input: unknown): string[] {
  try {
    validateEnvironment(input, 'env.yaml');
    return [];
  } catch (error) {
    if (error instanceof ConfigError) {
      return formatProblems(error.file, error.problems);
    }
    throw error;
  }
}

/** The example's stacks (synthesized once per run, test/example-cache.ts): the parsed cdk.tf.json per stack name. */
export function exampleStacks(): Record<string, any> {
  return synthExample(EXAMPLE).stacks;
}

/** Synthesizes every stack; returns the parsed cdk.tf.json per stack name. */
export function synth(input: unknown): Record<string, any> {
  return synthEnvironment(validateEnvironment(input, 'env.yaml')).stacks;
}

export function resources(stack: any, type: string): any[] {
  return Object.values(stack.resource?.[type] ?? {});
}

/** Every kubernetes_* resource's metadata (typed resources) or manifest metadata. */
export function kubernetesMetadata(stack: any): Array<{ type: string; metadata: any }> {
  return Object.entries<any>(stack.resource ?? {})
    .filter(([type]) => type.startsWith('kubernetes_'))
    .flatMap(([type, group]) => Object.values<any>(group).map((r) => ({ type, metadata: type === 'kubernetes_manifest' ? r.manifest.metadata : r.metadata })));
}
