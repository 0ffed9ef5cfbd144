import { mkdtempSync, readdirSync, readFileSync, existsSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { synthesize, synthesizeAndGate } from '../../apps/synth';
import { REPO_ROOT, treeContents } from '../helpers';

const EXAMPLES = readdirSync(join(REPO_ROOT, 'examples'))
  .filter((file) => /\.ya?ml$/.test(file))
  .map((file) => join('examples', file));

const quiet = { out: () => undefined, err: () => undefined };


/** Patterns of literal credentials; a secret must come from the secret store, never from the JSON. */
const SECRET_PATTERNS: Array<[string, RegExp]> = [
  ['AWS access key id', /AKIA[0-9A-Z]{16}/],
  ['private key', /-----BEGIN [A-Z ]*PRIVATE KEY/],
  ['OpenAI-style key', /sk-[A-Za-z0-9]{20,}/],
  ['literal password/secret/token value', /"(password|secret|token|api_?key|client_secret|master_?key|access_key|secret_key)"\s*:\s*"(?!\$\{)[^"]{4,}"/i],
  ['connection string with credentials', /[a-z]+:\/\/[^/\s:"]+:[^@\s"]+@/i],
];

describe.each(EXAMPLES)('%s', (example) => {
  const cwd = process.cwd();
  let first: Record<string, string>;

  beforeAll(() => {
    process.chdir(REPO_ROOT);
  });
  afterAll(() => process.chdir(cwd));

  it('synthesizes and passes the policy gate with zero denies', async () => {
    const outdir = join(mkdtempSync(join(tmpdir(), 'e2e-')), 'cdktf.out');
    const denies: string[] = [];
    const result = await synthesizeAndGate(example, outdir, { out: () => undefined, err: (line) => denies.push(line) });
    expect(denies).toEqual([]);
    expect(result.exitCode).toBe(0);
    const report = JSON.parse(readFileSync(join(outdir, 'policy-report.json'), 'utf8'));
    expect(report.passed).toBe(true);
    expect(report.stacks.length).toBe(Object.keys(treeContents(join(outdir, 'stacks'))).filter((f) => f.endsWith('cdk.tf.json')).length);
    first = treeContents(join(outdir, 'stacks'));
    expect(Object.keys(first).filter((file) => file.endsWith('cdk.tf.json')).length).toBeGreaterThanOrEqual(1);
  });

  it('synthesizes byte-identically twice, wherever it runs', () => {
    const outdir = join(mkdtempSync(join(tmpdir(), 'e2e-other-')), 'cdktf.out');
    synthesize(example, outdir, quiet);
    expect(treeContents(join(outdir, 'stacks'))).toEqual(first);
  });

  it('contains no secret values and no absolute paths', () => {
    for (const [file, text] of Object.entries(first)) {
      for (const [what, pattern] of SECRET_PATTERNS) {
        expect({ file, what, match: pattern.exec(text)?.[0] }).toEqual({ file, what, match: undefined });
      }
      expect({ file, outdir: text.includes(join(tmpdir(), 'e2e-')) }).toEqual({ file, outdir: false });
      expect({ file, repo: text.includes(REPO_ROOT) }).toEqual({ file, repo: false });
    }
  });
});

describe('bad input', () => {
  it('exits 2 with one line per problem and writes nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bad-'));
    const file = join(dir, 'env.yaml');
    require('fs').writeFileSync(file, 'name: x\ncloud: gcp\n');
    const lines: string[] = [];
    const outdir = join(dir, 'cdktf.out');
    const result = synthesize(file, outdir, { out: () => undefined, err: (line) => lines.push(line) });
    expect(result.exitCode).toBe(2);
    expect(lines).toContain(`${file}: cloud: is not an allowed value (allowed: aws, azure)`);
    expect(lines[lines.length - 1]).toMatch(/problem\(s\); nothing was synthesized$/);
    expect(existsSync(outdir)).toBe(false);
    expect(readdirSync(dir)).toEqual(['env.yaml']);
  });
});
