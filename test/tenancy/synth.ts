/** Helpers for the tenancy tests: the AWS example, mutated in memory, synthesized into a temp dir. */
import { mkdtempSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { parse } from 'yaml';
import { validateEnvironment } from '../../lib/config/load';
import { ConfigError, formatProblems } from '../../lib/config/errors';
import { EnvironmentConfig } from '../../lib/config/schema';
import { buildEnvironment } from '../../apps/build';

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

/** Synthesizes every stack; returns the parsed cdk.tf.json per stack name. */
export function synth(input: unknown): Record<string, any> {
  const config: EnvironmentConfig = validateEnvironment(input, 'env.yaml');
  const outdir = mkdtempSync(join(tmpdir(), 'tenancy-'));
  buildEnvironment(config, outdir).app.synth();
  const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8'));
  const stacks: Record<string, any> = {};
  for (const [name, stack] of Object.entries<any>(manifest.stacks)) {
    stacks[name] = JSON.parse(readFileSync(join(outdir, stack.synthesizedStackPath), 'utf8'));
  }
  return stacks;
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
