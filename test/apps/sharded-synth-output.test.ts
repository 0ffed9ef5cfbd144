import { mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { parse, stringify } from 'yaml';
import { synthesizeAndGate } from '../../apps/synth';
import { REPO_ROOT, treeContents } from '../helpers';

const quiet = { out: () => undefined, err: () => undefined };

/** The AWS example with `count` tenants (ids t-01, ...), cycling through the example's own tenants. */
function exampleWithTenants(count: number): string {
  const input = parse(readFileSync(join(REPO_ROOT, 'examples', 'gcc-uae-aws.yaml'), 'utf8'));
  const templates: Array<Record<string, unknown>> = input.tenants;
  input.tenants = Array.from({ length: count }, (_, index) => ({ ...templates[index % templates.length], id: `t-${String(index + 1).padStart(2, '0')}` }));
  const file = join(mkdtempSync(join(tmpdir(), 'sharded-')), 'env.yaml');
  writeFileSync(file, stringify(input, { aliasDuplicateObjects: false }));
  return file;
}

// Integration suite (jest.base.js): the workers compile the TypeScript sources themselves under jest,
// ~15 s of CPU. The worker count and SYNTH_WORKERS are tested in sharded-synth.test.ts.
describe('sharded synth (tenant stacks in worker threads)', () => {
  it('writes exactly what a one-thread synth writes: stacks, manifest, policy reports, evidence pack', async () => {
    const envFile = exampleWithTenants(5);
    const one = join(mkdtempSync(join(tmpdir(), 'one-thread-')), 'cdktf.out');
    const sharded = join(mkdtempSync(join(tmpdir(), 'sharded-')), 'cdktf.out');
    expect((await synthesizeAndGate(envFile, one, quiet, { workers: 0, today: '2026-12-02' })).exitCode).toBe(0);
    // Uneven shares of the 5 tenants (1 in this thread, 2 in each worker; a worker builds the platform
    // stack and its own tenants only).
    expect((await synthesizeAndGate(envFile, sharded, quiet, { workers: 2, today: '2026-12-02' })).exitCode).toBe(0);
    const expected = treeContents(one);
    expect(Object.keys(expected).filter((file) => file.endsWith('cdk.tf.json'))).toHaveLength(9);
    expect(treeContents(sharded)).toEqual(expected);
  });

});
