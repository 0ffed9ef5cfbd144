/**
 * `npm run bench`: synth time and peak memory (RSS) of the default example with 1, 10, 100 and 500
 * tenants. Tenants are generated in memory from the example's own tenants (ids `bench-00001`, ...). Each
 * size runs in a fresh child process, so one size's heap never inflates the next one's peak.
 *
 * Usage: node dist/scripts/bench.js [sizes...]   (default sizes: 1 10 100 500)
 */
import { execFileSync } from 'child_process';
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { parse } from 'yaml';
import { validateEnvironment } from '../lib/config/load';
import { buildEnvironment } from '../apps/build';

/** The default example (relative to dist/scripts/), or ENV_FILE like `npm run synth`. */
const EXAMPLE = resolve(process.env.ENV_FILE ?? join(__dirname, '..', '..', 'examples', 'gcc-uae-aws.yaml'));
const DEFAULT_SIZES = [1, 10, 100, 500];

interface Result {
  readonly tenants: number;
  readonly stacks: number;
  readonly constructMs: number;
  readonly synthMs: number;
  readonly peakRssMb: number;
}

function child(count: number): Result {
  const input = parse(readFileSync(EXAMPLE, 'utf8'));
  const templates: Array<Record<string, unknown>> = input.tenants;
  input.tenants = Array.from({ length: count }, (_, index) => ({
    ...templates[index % templates.length],
    id: `bench-${String(index + 1).padStart(5, '0')}`,
    displayName: `Bench tenant ${index + 1}`,
  }));
  const config = validateEnvironment(input, EXAMPLE);
  const outdir = mkdtempSync(join(tmpdir(), 'bench-'));
  try {
    const start = process.hrtime.bigint();
    const built = buildEnvironment(config, outdir);
    const constructed = process.hrtime.bigint();
    built.app.synth();
    const done = process.hrtime.bigint();
    return {
      tenants: count,
      stacks: built.app.node.children.length,
      constructMs: Number(constructed - start) / 1e6,
      synthMs: Number(done - start) / 1e6,
      // maxRSS is in kilobytes (getrusage): the process's peak, including module loading.
      peakRssMb: process.resourceUsage().maxRSS / 1024,
    };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

function parent(sizes: number[]): void {
  const rows: Result[] = sizes.map((size) => JSON.parse(execFileSync(process.execPath, [__filename, '--child', String(size)], { encoding: 'utf8', maxBuffer: 1 << 20 })));
  const header = ['tenants', 'stacks', 'construct s', 'synth s', 'ms/tenant', 'peak RSS MB'];
  const lines = rows.map((row) => [
    String(row.tenants),
    String(row.stacks),
    (row.constructMs / 1000).toFixed(2),
    (row.synthMs / 1000).toFixed(2),
    (row.synthMs / row.tenants).toFixed(1),
    row.peakRssMb.toFixed(0),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((line) => line[i].length)));
  const format = (cells: string[]) => cells.map((cell, i) => cell.padStart(widths[i])).join('  ');
  process.stdout.write(`${format(header)}\n${lines.map(format).join('\n')}\n`);
}

const args = process.argv.slice(2);
if (args[0] === '--child') {
  process.stdout.write(JSON.stringify(child(Number(args[1]))));
} else {
  parent(args.length > 0 ? args.map(Number) : DEFAULT_SIZES);
}
