import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { cacheEntry, cachedExample, EXAMPLE_CACHE_ENV, exampleFiles } from './example-cache';

/**
 * The per-run example cache (test/example-cache.ts) against a cache directory written here: it serves only
 * unchanged examples, each caller a copy of its own. That cached output equals a synth in the test's own
 * worker is checked where it is used: test/azure/examples.test.ts and test/tenancy/tenant-stacks.test.ts
 * compare it with a fresh synth of each example.
 */
describe('example cache', () => {
  const saved = process.env[EXAMPLE_CACHE_ENV];
  const [example] = exampleFiles();
  let cacheDir: string;

  beforeEach(() => {
    cacheDir = mkdtempSync(join(tmpdir(), 'example-cache-test-'));
    const { source, outdir } = cacheEntry(cacheDir, example);
    mkdirSync(join(outdir, 'stacks', 'a'), { recursive: true });
    writeFileSync(source, readFileSync(example, 'utf8'));
    writeFileSync(join(outdir, 'manifest.json'), '{"stacks":{}}');
    writeFileSync(join(outdir, 'stacks', 'a', 'cdk.tf.json'), '{"a":1}');
    process.env[EXAMPLE_CACHE_ENV] = cacheDir;
  });
  afterAll(() => {
    if (saved === undefined) delete process.env[EXAMPLE_CACHE_ENV];
    else process.env[EXAMPLE_CACHE_ENV] = saved;
  });

  it('lists the examples of the repository', () => {
    expect(exampleFiles().map((file) => file.split('/').pop())).toEqual(expect.arrayContaining(['gcc-uae-aws.yaml', 'gcc-uae-azure.yaml', 'core42-uae-azure.yaml']));
  });

  it('serves an unchanged example as a private copy: what one caller writes, the next never sees', () => {
    const first = cachedExample(example)!;
    expect(readFileSync(join(first, 'stacks', 'a', 'cdk.tf.json'), 'utf8')).toBe('{"a":1}');
    writeFileSync(join(first, 'stacks', 'a', 'cdk.tf.json'), '{"a":2}');
    const second = cachedExample(example)!;
    expect(second).not.toBe(first);
    expect(readFileSync(join(second, 'stacks', 'a', 'cdk.tf.json'), 'utf8')).toBe('{"a":1}');
  });

  it('serves nothing for an example whose text changed since the setup synthesized it', () => {
    writeFileSync(cacheEntry(cacheDir, example).source, `${readFileSync(example, 'utf8')}\n# edited\n`);
    expect(cachedExample(example)).toBeUndefined();
  });

  it('serves nothing for an example whose synth failed in the setup (its output was removed)', () => {
    rmSync(cacheEntry(cacheDir, example).outdir, { recursive: true });
    expect(cachedExample(example)).toBeUndefined();
  });

  it('serves nothing for a file outside examples/, or without a cache', () => {
    const elsewhere = join(mkdtempSync(join(tmpdir(), 'example-cache-test-')), 'gcc-uae-aws.yaml');
    writeFileSync(elsewhere, readFileSync(example, 'utf8'));
    expect(cachedExample(elsewhere)).toBeUndefined();
    delete process.env[EXAMPLE_CACHE_ENV];
    expect(cachedExample(example)).toBeUndefined();
  });
});
