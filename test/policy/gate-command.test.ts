/**
 * `npm run gate`: the gate over an existing synthesis folder and over one saved plan, with synth's exit
 * codes (0 passed, 3 denied, 2 bad input) and the same reports.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { gateCommand } from '../../apps/gate-command';
import { synthesizeAndGate } from '../../apps/synth';
import { clone, loadFixture, REPO_ROOT } from './fixtures';

const EXAMPLE = path.join(REPO_ROOT, 'examples', 'gcc-uae-aws.yaml');
const TODAY = '2026-12-02';

function collect(): { lines: string[]; io: { out(line: string): void; err(line: string): void } } {
  const lines: string[] = [];
  return { lines, io: { out: (line) => lines.push(line), err: (line) => lines.push(line) } };
}

let outdir: string;
let synthReport: string;

beforeAll(async () => {
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'gate-command-'));
  const result = await synthesizeAndGate(EXAMPLE, outdir, { out: () => undefined, err: () => undefined });
  expect(result.exitCode).toBe(0);
  synthReport = fs.readFileSync(path.join(outdir, 'policy-report.json'), 'utf8');
}, 120_000);

describe('npm run gate over a folder', () => {
  test('a compliant synthesis passes and the report is the one synth wrote', async () => {
    const { lines, io } = collect();
    expect(await gateCommand([outdir], io, TODAY)).toBe(0);
    expect(fs.readFileSync(path.join(outdir, 'policy-report.json'), 'utf8')).toBe(synthReport);
    expect(lines.at(-1)).toMatch(/^policy gate passed: 0 denied/);
  });

  test('with --env-file the data comes from the environment file, same verdict', async () => {
    const { io } = collect();
    expect(await gateCommand([outdir, '--env-file', EXAMPLE], io, TODAY)).toBe(0);
    expect(fs.readFileSync(path.join(outdir, 'policy-report.json'), 'utf8')).toBe(synthReport);
  });

  test('a stack changed after synthesis (an unclassified provider) is denied with exit 3', async () => {
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'gate-command-'));
    fs.cpSync(outdir, copy, { recursive: true });
    const file = path.join(copy, 'stacks', 'uae-prod-aws-platform', 'cdk.tf.json');
    const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
    doc.provider.awscc = [{ region: 'eu-west-1' }];
    fs.writeFileSync(file, JSON.stringify(doc));
    const { lines, io } = collect();
    expect(await gateCommand([copy], io, TODAY)).toBe(3);
    expect(lines).toContainEqual(expect.stringMatching(/^DENY classification\.unclassified uae-prod-aws-platform\/provider\.awscc: Provider awscc/));
    const report = JSON.parse(fs.readFileSync(path.join(copy, 'policy-report.json'), 'utf8'));
    expect(report.passed).toBe(false);
  });

  test('bad input is exit 2 and names the problem', async () => {
    const cases: Array<[string[], RegExp]> = [
      [[], /give either a cdktf.out directory or --plan/],
      [['/nonexistent-dir'], /has no stacks\/ directory/],
      [[outdir, '--bogus'], /unknown option --bogus/],
      [['--plan', 'x.json'], /--plan needs --env-file/],
      [[outdir, '--env-file', path.join(REPO_ROOT, 'examples', 'gcc-uae-azure.yaml')], /does not define/],
    ];
    for (const [argv, message] of cases) {
      const { lines, io } = collect();
      expect(await gateCommand(argv, io, TODAY)).toBe(2);
      expect(lines.join('\n')).toMatch(message);
    }
    const { io } = collect();
    expect(await gateCommand([outdir], io, 'yesterday')).toBe(2);
  });
});

describe('npm run gate over a plan', () => {
  function writePlan(dir: string, name: string, doc: unknown): string {
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, name);
    fs.writeFileSync(file, JSON.stringify(doc));
    return file;
  }

  test('a compliant plan passes; the stack is taken from the path; reports land next to it', async () => {
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gate-plan-')), 'uae-prod-aws-platform');
    const plan = writePlan(dir, 'plan.json', loadFixture('aws_plan').input);
    const { lines, io } = collect();
    expect(await gateCommand(['--plan', plan, '--env-file', EXAMPLE], io, TODAY)).toBe(0);
    const report = JSON.parse(fs.readFileSync(path.join(dir, 'policy-report.json'), 'utf8'));
    expect(report.stacks).toEqual([{ name: 'uae-prod-aws-platform', kind: 'platform', file: 'plan.json', denies: 0, excepted: 0 }]);
    expect(lines.at(-1)).toMatch(/^policy gate passed/);
  });

  test('what the plan would apply is judged: a key without rotation in after is exit 3', async () => {
    const doc = clone(loadFixture('aws_plan').input) as any;
    doc.resource_changes.find((c: any) => c.type === 'aws_kms_key').change.after.enable_key_rotation = false;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gate-plan-'));
    const plan = writePlan(dir, 'changes.json', doc);
    const { lines, io } = collect();
    expect(await gateCommand(['--plan', plan, '--env-file', EXAMPLE, '--stack', 'uae-prod-aws-platform', '--report-dir', dir], io, TODAY)).toBe(3);
    expect(lines).toContainEqual(expect.stringMatching(/^DENY encryption\.kms_rotation uae-prod-aws-platform\//));
  });

  test('a plan whose stack cannot be told, or an unknown --stack, is exit 2', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gate-plan-'));
    const plan = writePlan(dir, 'plan.json', loadFixture('aws_plan').input);
    for (const argv of [['--plan', plan, '--env-file', EXAMPLE], ['--plan', plan, '--env-file', EXAMPLE, '--stack', 'nope']]) {
      const { lines, io } = collect();
      expect(await gateCommand(argv, io, TODAY)).toBe(2);
      expect(lines.join('\n')).toMatch(/stack/);
    }
    const broken = writePlan(dir, 'uae-prod-aws-platform.json', 'not json at all');
    fs.writeFileSync(broken, '{');
    const { lines, io } = collect();
    expect(await gateCommand(['--plan', broken, '--env-file', EXAMPLE], io, TODAY)).toBe(2);
    expect(lines.join('\n')).toMatch(/is not JSON/);
  });
});
