import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { restoreForCdktfCli, stackDirectories } from '../../apps/cdktf-cli';

describe('cdktf CLI compatibility', () => {
  it('recreates the previous environment\'s stack directories (empty) after a synth replaced the output', () => {
    const outdir = join(mkdtempSync(join(tmpdir(), 'cdktf-cli-')), 'cdktf.out');
    for (const stack of ['old-platform', 'shared']) mkdirSync(join(outdir, 'stacks', stack), { recursive: true });
    writeFileSync(join(outdir, 'stacks', 'not-a-stack.json'), '{}');
    const before = stackDirectories(outdir);
    expect(before.sort()).toEqual(['old-platform', 'shared']);

    // What synthesize() does: the whole output directory is replaced by the new environment's.
    rmSync(outdir, { recursive: true });
    mkdirSync(join(outdir, 'stacks', 'new-platform'), { recursive: true });
    writeFileSync(join(outdir, 'stacks', 'new-platform', 'cdk.tf.json'), '{}');
    mkdirSync(join(outdir, 'stacks', 'shared'));
    writeFileSync(join(outdir, 'stacks', 'shared', 'cdk.tf.json'), '{"kept":true}');

    restoreForCdktfCli(outdir, before);
    expect(stackDirectories(outdir).sort()).toEqual(['new-platform', 'old-platform', 'shared']);
    expect(readdirSync(join(outdir, 'stacks', 'old-platform'))).toEqual([]);
    expect(readdirSync(join(outdir, 'stacks', 'shared'))).toEqual(['cdk.tf.json']);
  });

  it('finds no stacks in an output directory that does not exist yet', () => {
    expect(stackDirectories(join(tmpdir(), 'cdktf-cli-missing', 'cdktf.out'))).toEqual([]);
  });
});
