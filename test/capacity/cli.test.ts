import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { stringify } from 'yaml';
import { CapacityUsageError, parseCapacityArgs } from '../../lib/capacity/args';
import { runCapacityCli } from '../../lib/capacity/cli';
import { AWS_EXAMPLE, awsExampleInput } from '../helpers';

function run(argv: string[]): { code: number; stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  const code = runCapacityCli(argv, { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text) });
  return { code, stdout, stderr };
}

describe('npm run capacity', () => {
  test('prints the layer table and a total inside the seed range', () => {
    const { code, stdout, stderr } = run(['--qps', '50', '--vectors', '20000000']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toMatch(/^qdrant\s+3\s+r6i\.xlarge\s+4\s+32 GiB\s+0\s+int8/m);
    const total = Number(/TOTAL: ([\d,]+) AED\/month/.exec(stdout)![1].replace(/,/g, ''));
    expect(total).toBeGreaterThanOrEqual(25_000);
    expect(total).toBeLessThanOrEqual(40_000);
  });

  test('--json has the documented shape and is byte-identical across runs', () => {
    const first = run(['--qps=50', '--vectors=20_000_000', '--json', '--currency', 'USD']);
    expect(first.code).toBe(0);
    const doc = JSON.parse(first.stdout);
    expect(doc.layers.map((l: { name: string }) => l.name)).toEqual(['orchestrator', 'qdrant', 'tei', 'litellm', 'langfuse']);
    for (const l of doc.layers) {
      expect(l).toEqual(expect.objectContaining({ replicas: expect.any(Number), instanceType: expect.any(String), quantization: expect.stringMatching(/^(none|int8)$/) }));
    }
    expect(doc.monthlyCost).toEqual(expect.objectContaining({ currency: 'USD', total: expect.any(Number), byLayer: expect.any(Object) }));
    expect(run(['--qps=50', '--vectors=20_000_000', '--json', '--currency', 'USD']).stdout).toBe(first.stdout);
  });

  test.each([
    [['--vectors', '1'], '--qps: is required'],
    [['--qps', '50'], '--vectors: is required'],
    [['--qps', 'fifty', '--vectors', '1'], '--qps: "fifty" is not a number'],
    [['--qps', '0', '--vectors', '1'], '--qps: must be greater than 0'],
    [['--qps', '5', '--vectors', '1.5'], '--vectors: must be a whole number'],
    [['--qps', '5', '--vectors', '10', '--peak-factor', '0.5'], '--peak-factor: must be at least 1'],
    [['--qps', '5', '--vectors', '10', '--dims'], '--dims: needs a value'],
    [['--qps', '5', '--vectors', '10', '--currency', 'GBP'], '--currency: "GBP" is not supported (allowed: AED, USD, EUR)'],
    [['--qps', '5', '--vectors', '10', '--cloud', 'gcp'], '--cloud: "gcp" is not supported'],
    [['--qps', '5', '--vectors', '10', '--region', 'eu-west-1'], 'region: no price book for aws eu-west-1'],
    [['--qps', '5', '--vectors', '10', '--qps', '6'], '--qps: given twice'],
    [['--qps', '5', '--vectors', '10', '--fast'], '--fast: unknown option'],
  ])('%j exits 2 naming the flag, without a stack trace', (argv, message) => {
    const { code, stdout, stderr } = run(argv);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(message);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  test('parse errors are CapacityUsageError with the flag', () => {
    expect(() => parseCapacityArgs(['--dims', '-3'])).toThrow(CapacityUsageError);
    try {
      parseCapacityArgs(['--dims', 'x']);
    } catch (error) {
      expect((error as CapacityUsageError).flag).toBe('--dims');
    }
  });

  test('with --env-file: cloud and pools from the file, explicit sizes compared (too small is a warning)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'capacity-'));
    const file = join(dir, 'env.yaml');
    const input = awsExampleInput();
    input.components.tei.replicas = 1;
    writeFileSync(file, stringify(input));
    const { code, stdout } = run(['--qps', '50', '--vectors', '20000000', '--env-file', file, '--json']);
    expect(code).toBe(0);
    const doc = JSON.parse(stdout);
    expect(doc.input).toMatchObject({ cloud: 'aws', region: 'me-central-1', generalInstanceType: 'm7i.2xlarge' });
    // One TEI replica set explicitly: below the availability minimum of 2, reported and left as it is.
    expect(doc.differences).toContainEqual(expect.objectContaining({ field: 'components.tei.replicas', configured: 1, advised: 2, severity: 'warning' }));
    expect(run(['--qps', '50', '--vectors', '20000000', '--env-file', AWS_EXAMPLE]).code).toBe(0);
  });

  test('the capacity: block of the environment file supplies the numbers', () => {
    const dir = mkdtempSync(join(tmpdir(), 'capacity-'));
    const file = join(dir, 'env.yaml');
    writeFileSync(file, stringify({ ...awsExampleInput(), capacity: { steadyQps: 50, vectors: 20000000 } }));
    const { code, stdout } = run(['--env-file', file, '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).input).toMatchObject({ steadyQps: 50, vectors: 20000000, dims: 768, peakFactor: 3 });
    writeFileSync(file, stringify({ ...awsExampleInput(), capacity: { steadyQps: -1, vectors: 5 } }));
    const bad = run(['--env-file', file]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('capacity.steadyQps');
  });
});
