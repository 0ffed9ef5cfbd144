/**
 * `npm run bench`: what the main job costs, measured in fresh child processes (CPU = the child's user +
 * system time, module loading included; peak RSS from getrusage).
 *
 * 1. Synth + policy gate of the default example next to a cdk-eks-blueprints synth of an EKS cluster
 *    with 9 add-ons (scripts/bench/eks-blueprints-app.js), and the ratio; best of RUNS runs each, the
 *    two taken in turn.
 *    aws-cdk-lib and cdk-eks-blueprints (about 520 MB) are installed at bench time into
 *    .tools/bench-blueprints, pinned below, rather than as devDependencies: `npm ci` stays small for
 *    everyone, the first bench run pays a minute of installing.
 * 2. Synth + gate of the default example with 1, 10, 100 and 500 tenants (ids `bench-00001`, ...,
 *    generated from the example's own tenants), one run each: wall time from process start, CPU of all
 *    threads (from 40 tenants on, worker threads synthesize and judge the tenant stacks).
 * The load average is printed before and after: on a shared machine wall times say little without it.
 *
 * Usage: node dist/scripts/bench.js [tenant counts...]   (default: 1 10 100 500)
 */
import { execFileSync } from 'child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { cpus, loadavg, tmpdir } from 'os';
import { join, resolve } from 'path';
import { performance } from 'perf_hooks';
import { parse, stringify } from 'yaml';
import { synthesizeAndGate } from '../apps/synth';

const REPO = resolve(__dirname, '..', '..');
/** The default example, or ENV_FILE like `npm run synth`. */
const EXAMPLE = resolve(process.env.ENV_FILE ?? join(REPO, 'examples', 'gcc-uae-aws.yaml'));
const DEFAULT_SIZES = [1, 10, 100, 500];
const RUNS = 5;

/** The comparison point, pinned (aws-cdk-lib at the version cdk-eks-blueprints declares as its peer). */
const BLUEPRINTS_PACKAGES = { 'aws-cdk-lib': '2.261.0', '@aws-quickstart/eks-blueprints': '1.19.0', constructs: '10.6.0' };
const BLUEPRINTS_DIR = join(REPO, '.tools', 'bench-blueprints');
const BLUEPRINTS_APP = join(REPO, 'scripts', 'bench', 'eks-blueprints-app.js');

interface Measurement {
  readonly cpuMs: number;
  readonly peakRssMb: number;
}

interface TenantRun extends Measurement {
  readonly tenants: number;
  readonly stacks: number;
  readonly wallMs: number;
}

const say = (line: string) => process.stderr.write(`bench: ${line}\n`);

/** Child: synth + gate of the example with `count` tenants into a temporary directory. */
async function child(count: number | undefined): Promise<TenantRun> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-'));
  try {
    let envFile = EXAMPLE;
    if (count !== undefined) {
      const input = parse(readFileSync(EXAMPLE, 'utf8'));
      const templates: Array<Record<string, unknown>> = input.tenants;
      input.tenants = Array.from({ length: count }, (_, index) => ({
        ...templates[index % templates.length],
        id: `bench-${String(index + 1).padStart(5, '0')}`,
        displayName: `Bench tenant ${index + 1}`,
      }));
      envFile = join(dir, 'env.yaml');
      writeFileSync(envFile, stringify(input, { aliasDuplicateObjects: false }));
    }
    const errors: string[] = [];
    const result = await synthesizeAndGate(envFile, join(dir, 'cdktf.out'), { out: () => undefined, err: (line) => errors.push(line) });
    if (result.exitCode !== 0) {
      throw new Error(`synth + gate exited ${result.exitCode}:\n${errors.join('\n')}`);
    }
    const cpu = process.cpuUsage();
    return {
      tenants: result.config?.tenants.length ?? 0,
      stacks: readdirSync(join(dir, 'cdktf.out', 'stacks')).length,
      wallMs: performance.now(),
      cpuMs: (cpu.user + cpu.system) / 1000,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs a node child and parses the JSON it prints last. */
function runChild(args: string[], env: NodeJS.ProcessEnv = process.env): any {
  const stdout = execFileSync(process.execPath, args, { encoding: 'utf8', env, maxBuffer: 16 << 20, stdio: ['ignore', 'pipe', 'pipe'] });
  return JSON.parse(stdout.trim().split('\n').pop() ?? '');
}

function best<T extends Measurement>(runs: T[]): T {
  return runs.reduce((a, b) => (b.cpuMs < a.cpuMs ? b : a));
}

function installedVersion(name: string): string | undefined {
  const file = join(BLUEPRINTS_DIR, 'node_modules', name, 'package.json');
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')).version : undefined;
}

function ensureBlueprints(): void {
  if (Object.entries(BLUEPRINTS_PACKAGES).every(([name, version]) => installedVersion(name) === version)) {
    return;
  }
  const list = Object.entries(BLUEPRINTS_PACKAGES).map(([name, version]) => `${name}@${version}`).join(' ');
  say(`installing ${list} into .tools/bench-blueprints (about 520 MB; a minute or more the first time) ...`);
  mkdirSync(BLUEPRINTS_DIR, { recursive: true });
  writeFileSync(join(BLUEPRINTS_DIR, 'package.json'), `${JSON.stringify({ private: true, dependencies: BLUEPRINTS_PACKAGES }, null, 2)}\n`);
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: BLUEPRINTS_DIR, stdio: ['ignore', 'inherit', 'inherit'] });
}

function blueprintsRun(): Measurement {
  const outdir = mkdtempSync(join(tmpdir(), 'bench-blueprints-'));
  try {
    return runChild([BLUEPRINTS_APP, join(outdir, 'cdk.out')], { ...process.env, NODE_PATH: join(BLUEPRINTS_DIR, 'node_modules') });
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

const seconds = (ms: number) => (ms / 1000).toFixed(2);

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const format = (cells: string[]) => cells.map((cell, i) => cell.padStart(widths[i])).join('  ');
  return [format(header), ...rows.map(format)].join('\n');
}

/** The machine's load average: other work inflates wall times (and, less, CPU), so the figures say it. */
const load = () => loadavg().map((value) => value.toFixed(2)).join(', ');

function parent(sizes: number[]): void {
  ensureBlueprints();
  process.stdout.write(`${cpus().length} CPUs, load average ${load()} (1, 5, 15 min) at the start\n\n`);
  say(`synth + gate of ${EXAMPLE} and the cdk-eks-blueprints synth, best of ${RUNS} each, taken in turn ...`);
  // In turn rather than all of ours then all of theirs: the machine's speed drifts (a shared host), and
  // the ratio should compare runs made under the same conditions.
  const pairs = Array.from({ length: RUNS }, () => ({ ours: runChild([__filename, '--child']) as TenantRun, theirs: blueprintsRun() }));
  const ours = best(pairs.map((pair) => pair.ours));
  const theirs = best(pairs.map((pair) => pair.theirs));
  const blueprints = `cdk-eks-blueprints ${BLUEPRINTS_PACKAGES['@aws-quickstart/eks-blueprints']} (aws-cdk-lib ${BLUEPRINTS_PACKAGES['aws-cdk-lib']}), EKS + 9 add-ons`;
  process.stdout.write(
    `${table(
      ['', 'CPU s', 'peak RSS MB'],
      [
        [`synth + gate, default example (${ours.stacks} stacks, wall ${seconds(ours.wallMs)} s)`, seconds(ours.cpuMs), ours.peakRssMb.toFixed(0)],
        [blueprints, seconds(theirs.cpuMs), theirs.peakRssMb.toFixed(0)],
      ],
    )}\nratio (ours / cdk-eks-blueprints, CPU): ${(ours.cpuMs / theirs.cpuMs).toFixed(2)}\n\n`,
  );
  say(`synth + gate with ${sizes.join(', ')} tenants ...`);
  const rows = sizes.map((size) => runChild([__filename, '--child', String(size)]) as TenantRun);
  process.stdout.write(
    `${table(
      ['tenants', 'stacks', 'wall s', 'CPU s', 'peak RSS MB'],
      rows.map((row) => [String(row.tenants), String(row.stacks), seconds(row.wallMs), seconds(row.cpuMs), row.peakRssMb.toFixed(0)]),
    )}\n\nload average ${load()} (1, 5, 15 min) at the end\n`,
  );
}

const args = process.argv.slice(2);
if (args[0] === '--child') {
  child(args[1] === undefined ? undefined : Number(args[1])).then(
    (result) => process.stdout.write(`${JSON.stringify(result)}\n`),
    (error: Error) => {
      process.stderr.write(`${error.message}\n`);
      process.exitCode = 1;
    },
  );
} else {
  parent(args.length > 0 ? args.map(Number) : DEFAULT_SIZES);
}
